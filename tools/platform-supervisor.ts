import { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readPidFile, repoRoot, resolveKafka, resolvePostgres, stopProcess } from '@cashless/infra';
import type { KafkaHandle, PostgresHandle } from '@cashless/infra';
import {
  assertPortsFree,
  createPlatformTopics,
  prepareDatabases,
  serviceEnv,
  serviceSpec,
  serviceUrl,
  spawnService,
  tail,
  waitHealthy,
} from './platform-runtime';
import type { PlatformAddresses } from './platform-runtime';
import { ProcSampler } from './proc-stats';
import { SERVICES } from './services';

/**
 * The whole platform for benchmarks and fault tests: the same steps as `npm start` (embedded
 * PostgreSQL, a local Kafka broker, topics, migrations, one process per service), but run from
 * this process with a handle on each part, so a test can SIGKILL a service and start it again,
 * stop and start the broker, restart the database, and measure each process's CPU and memory.
 * Unlike `npm start`, a service that dies does not stop the rest: whoever killed it restarts it.
 */
export interface SupervisorOptions {
  dataDir: string;
  basePort: number;
  kafkaPort: number;
  postgresPort: number;
  /** Extra environment for the services (rate limits, pool sizes). */
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
  healthTimeoutMs?: number;
}

export const SERVICE_NAMES = SERVICES.map((s) => s.name);

export class PlatformSupervisor {
  readonly root = repoRoot();
  readonly logsDir: string;
  private readonly log: (message: string) => void;
  private readonly children = new Map<string, ChildProcess>();
  /** Services whose exit is expected (killed on purpose, or stopping). */
  private readonly expectedExit = new Set<string>();
  private readonly unexpected: string[] = [];
  private postgres: PostgresHandle | undefined;
  private kafka: KafkaHandle | undefined;
  private addresses: PlatformAddresses | undefined;
  private stopping = false;

  constructor(private readonly o: SupervisorOptions) {
    this.logsDir = join(o.dataDir, 'logs');
    this.log = o.log ?? ((m) => process.stderr.write(`${m}\n`));
  }

  get gatewayUrl(): string {
    return serviceUrl(this.o.basePort, serviceSpec('gateway'));
  }

  urlOf(service: string): string {
    return serviceUrl(this.o.basePort, serviceSpec(service));
  }

  /** The server URL of PostgreSQL (maintenance database). */
  get postgresUrl(): string {
    if (!this.addresses) throw new Error('the platform is not started');
    return this.addresses.postgresUrl;
  }

  get kafkaBrokers(): string[] {
    if (!this.addresses) throw new Error('the platform is not started');
    return this.addresses.kafkaBrokers;
  }

  /** Services that exited without being asked to, with their last log lines. */
  unexpectedExits(): string[] {
    return [...this.unexpected];
  }

  /** The infrastructure, migrations (no demo data) and every service, healthy. */
  async start(): Promise<void> {
    mkdirSync(this.logsDir, { recursive: true });
    await this.startPostgres();
    await this.startKafka();
    const created = await createPlatformTopics(this.kafkaBrokers, 'cashless-supervisor');
    if (created.length) this.log(`Created topics: ${created.join(', ')}`);
    await assertPortsFree(this.o.basePort);
    await prepareDatabases(this.root, (spec) => this.envOf(spec.name), false, this.log);
    for (const name of SERVICE_NAMES) this.startService(name);
    await this.waitHealthy(SERVICE_NAMES);
  }

  async waitHealthy(names: readonly string[] = SERVICE_NAMES, timeoutMs = this.o.healthTimeoutMs ?? 120000) {
    await waitHealthy(this.o.basePort, names, timeoutMs, () => this.stopping);
  }

  /** Starts one service process (it must not be running). */
  startService(name: string): void {
    if (this.children.has(name)) throw new Error(`${name} is already running`);
    const spec = serviceSpec(name);
    const logFile = join(this.logsDir, `${name}.log`);
    const child = spawnService(this.root, spec, this.envOf(name), logFile);
    this.children.set(name, child);
    this.expectedExit.delete(name);
    child.once('exit', (code, signal) => {
      if (this.children.get(name) === child) this.children.delete(name);
      if (this.stopping || this.expectedExit.has(name)) return;
      this.unexpected.push(`${name} exited (${signal ?? `exit ${code}`}):\n${tail(logFile, 15)}`);
    });
  }

  /** SIGKILL: no shutdown hooks, no drain, no offset commit; in-flight requests are cut off. */
  async killService(name: string): Promise<void> {
    const child = this.children.get(name);
    if (!child) throw new Error(`${name} is not running`);
    this.expectedExit.add(name);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    this.children.delete(name);
  }

  /** SIGKILL the service, start it again, wait until it is healthy; resolves to the downtime in ms. */
  async killAndRestart(name: string, downMs = 0): Promise<number> {
    const started = performance.now();
    await this.killService(name);
    if (downMs > 0) await sleep(downMs);
    this.startService(name);
    await this.waitHealthy([name]);
    return performance.now() - started;
  }

  /** Stops the broker (SIGTERM, as an operator or a node failure with a clean shutdown would). */
  async stopKafka(): Promise<void> {
    const handle = this.kafka;
    if (!handle?.stop) throw new Error('the Kafka broker was not started here');
    this.kafka = undefined;
    await handle.stop();
  }

  /** Starts the broker again on the same data folder and port. */
  async startKafka(): Promise<void> {
    const handle = await resolveKafka({
      root: this.root,
      dataDir: this.o.dataDir,
      log: this.log,
      env: { ...process.env, KAFKA_BROKERS: '', KAFKA_PORT: String(this.o.kafkaPort) },
    });
    if (handle.source !== 'started') throw new Error(`expected a new local broker, found one ${handle.source}`);
    this.kafka = handle;
    this.addresses = { ...this.addressesOrDefault(), kafkaBrokers: handle.brokers };
  }

  /** Stops PostgreSQL (fast shutdown: sessions are cut) and starts it again on the same data folder. */
  async restartPostgres(downMs = 0): Promise<number> {
    const started = performance.now();
    const handle = this.postgres;
    if (!handle?.stop) throw new Error('PostgreSQL was not started here');
    this.postgres = undefined;
    await handle.stop();
    if (downMs > 0) await sleep(downMs);
    await this.startPostgres();
    return performance.now() - started;
  }

  /** What to sample: each service's process, the broker's JVM, PostgreSQL's process tree. */
  sampler(intervalMs = 500): ProcSampler {
    return new ProcSampler(() => {
      const out = new Map<string, { pid: number; tree: boolean } | undefined>();
      for (const name of SERVICE_NAMES) {
        const pid = this.children.get(name)?.pid;
        out.set(name, pid ? { pid, tree: false } : undefined);
      }
      const kafkaPid = readPidFile(join(this.o.dataDir, 'kafka', 'kafka.pid'));
      out.set('kafka', kafkaPid ? { pid: kafkaPid, tree: false } : undefined);
      const postgresPid = postmasterPid(join(this.o.dataDir, 'postgres'));
      out.set('postgresql', postgresPid ? { pid: postgresPid, tree: true } : undefined);
      return out;
    }, intervalMs);
  }

  /** Services first (they drain consumers and the outbox relay), then the broker and the database. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.children.values()].map((child) => (child.pid ? stopProcess(child.pid, 15000) : undefined)),
    );
    this.children.clear();
    for (const [name, stop] of [
      ['Kafka broker', this.kafka?.stop],
      ['PostgreSQL', this.postgres?.stop],
    ] as const) {
      try {
        await stop?.();
      } catch (error) {
        this.log(`Could not stop ${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.kafka = undefined;
    this.postgres = undefined;
  }

  private async startPostgres(): Promise<void> {
    const handle = await resolvePostgres({
      dataDir: this.o.dataDir,
      log: this.log,
      env: {
        ...process.env,
        CASHLESS_EMBEDDED_POSTGRES: '1',
        CASHLESS_EMBEDDED_POSTGRES_PORT: String(this.o.postgresPort),
      },
    });
    if (!handle.stop) throw new Error(`expected a new embedded PostgreSQL on port ${this.o.postgresPort}`);
    this.postgres = handle;
    this.addresses = { ...this.addressesOrDefault(), postgresUrl: handle.serverUrl };
  }

  private addressesOrDefault(): PlatformAddresses {
    return this.addresses ?? { basePort: this.o.basePort, postgresUrl: '', kafkaBrokers: [] };
  }

  private envOf(name: string): NodeJS.ProcessEnv {
    const base: NodeJS.ProcessEnv = { ...process.env, ...this.o.env };
    delete base.DATABASE_URL;
    delete base.KAFKA_BROKERS;
    return serviceEnv(serviceSpec(name), this.addressesOrDefault(), base);
  }
}

/** The postmaster's pid: the first line of postmaster.pid in the data folder (absent while stopped). */
function postmasterPid(databaseDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
