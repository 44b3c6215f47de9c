import { ChildProcess, execFileSync, spawn } from 'node:child_process';

/**
 * The whole platform as `npm start` runs it (`node dist/tools/start.js`), in a child process with
 * its own data folder, ports, broker and embedded PostgreSQL: what end-to-end tests and benchmarks
 * start. Rate limits stay as configured unless `env` overrides them.
 */
export interface PlatformLaunch {
  dataDir: string;
  basePort: number;
  kafkaPort: number;
  postgresPort: number;
  /** Seed the pilot streets' demo shops (default false: tests and benchmarks bring their own). */
  demoData?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface PlatformProcess {
  child: ChildProcess;
  /** Everything the platform printed so far. */
  output(): string;
  /** Resolves when every service is healthy; rejects if the platform exits first. */
  ready: Promise<void>;
  /** SIGTERM and wait for the exit; resolves to the exit code. */
  stop(): Promise<number | null>;
}

export function launchPlatform(options: PlatformLaunch): PlatformProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CASHLESS_DATA_DIR: options.dataDir,
    CASHLESS_PORT_BASE: String(options.basePort),
    CASHLESS_EMBEDDED_POSTGRES: '1',
    CASHLESS_EMBEDDED_POSTGRES_PORT: String(options.postgresPort),
    CASHLESS_DEMO_DATA: options.demoData ? '1' : '0',
    KAFKA_PORT: String(options.kafkaPort),
    ...options.env,
  };
  delete env.KAFKA_BROKERS;
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['dist/tools/start.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('Cashless Street is running.')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the platform exited early (${code}):\n${output}`)));
  });
  ready.catch(() => undefined); // observed by whoever awaits it
  const stop = async (): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    return exited;
  };
  return { child, output: () => output, ready, stop };
}

/** Processes whose command line names `dir` (a platform's data folder): what a clean stop leaves none of. */
export function processesUsing(dir: string): string[] {
  const lines = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n');
  return lines.filter((l) => l.includes(dir) && !l.includes('ps -eo'));
}

/** Last resort after a failed stop: SIGKILL whatever still runs from `dir`. */
export function killProcessesUsing(dir: string): void {
  for (const line of processesUsing(dir)) {
    try {
      process.kill(Number(line.trim().split(/\s+/)[0]), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
