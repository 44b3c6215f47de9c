import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka, waitForKafka } from '@cashless/messaging';
import { isPortOpen } from './ports';
import { commandVersion, isProcessAlive, readPidFile, removeFile, stopProcess } from './process';

export const KAFKA_VERSION = '3.9.2';

export interface KafkaHandle {
  brokers: string[];
  source: 'KAFKA_BROKERS' | 'running' | 'started';
  /** Set only when this process started the broker. */
  stop?: () => Promise<void>;
}

export interface ResolveKafkaOptions {
  root: string;
  dataDir: string;
  log: (message: string) => void;
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
}

/**
 * Finds a real Kafka: `KAFKA_BROKERS` when set and reachable, else the local broker this tool
 * started earlier, else a new single-node Apache Kafka in KRaft mode run from Maven Central jars.
 */
export async function resolveKafka(options: ResolveKafkaOptions): Promise<KafkaHandle> {
  const env = options.env ?? process.env;
  if (env.KAFKA_BROKERS) {
    const brokers = env.KAFKA_BROKERS.split(',').map((b) => b.trim());
    if (await kafkaAnswers(brokers, 10000)) return { brokers, source: 'KAFKA_BROKERS' };
    options.log(`KAFKA_BROKERS (${env.KAFKA_BROKERS}) is not reachable; starting a local broker`);
  }
  const broker = new LocalKafka({
    env,
    root: options.root,
    dir: join(options.dataDir, 'kafka'),
    port: Number(env.KAFKA_PORT ?? 9092),
    controllerPort: Number(env.KAFKA_CONTROLLER_PORT ?? Number(env.KAFKA_PORT ?? 9092) + 1),
    log: options.log,
  });
  return broker.start(options.readyTimeoutMs ?? 90000);
}

async function kafkaAnswers(brokers: string[], timeoutMs: number): Promise<boolean> {
  try {
    // Short request timeout: a program on the port that is not Kafka must not hold us for 30 s.
    const kafka = createKafka({
      brokers,
      clientId: 'cashless-infra',
      connectionTimeoutMs: 1000,
      requestTimeoutMs: 2000,
    });
    await waitForKafka(kafka, timeoutMs);
    return true;
  } catch {
    return false;
  }
}

interface LocalKafkaOptions {
  /** Environment for the tools it runs (java, mvn); defaults to this process's. */
  env?: NodeJS.ProcessEnv;
  root: string;
  dir: string;
  port: number;
  controllerPort: number;
  log: (message: string) => void;
}

/** A single-node KRaft broker (combined broker + controller) whose data lives in `dir`. */
export class LocalKafka {
  private readonly pidFile: string;
  private readonly brokers: string[];

  constructor(private readonly o: LocalKafkaOptions) {
    this.pidFile = join(o.dir, 'kafka.pid');
    this.brokers = [`127.0.0.1:${o.port}`];
  }

  async start(readyTimeoutMs: number): Promise<KafkaHandle> {
    const running = readPidFile(this.pidFile);
    if (running && isProcessAlive(running) && (await kafkaAnswers(this.brokers, 5000))) {
      this.o.log(`Using the local Kafka broker already running (pid ${running})`);
      return { brokers: this.brokers, source: 'running' };
    }
    for (const port of [this.o.port, this.o.controllerPort]) {
      if (await isPortOpen(port)) {
        if (port === this.o.port && (await kafkaAnswers(this.brokers, 5000))) {
          this.o.log(`A Kafka broker already answers on 127.0.0.1:${port}; using it`);
          return { brokers: this.brokers, source: 'running' };
        }
        throw new Error(
          `Port ${port} is in use by another program, so the local Kafka broker cannot start. ` +
            'Free the port, set KAFKA_PORT to another one, or set KAFKA_BROKERS to a running cluster.',
        );
      }
    }
    if (!commandVersion('java', ['-version'], this.o.env)) {
      throw new Error(
        'Java is not installed (needed to run the local Kafka broker). Install a JDK 17+, or set KAFKA_BROKERS.',
      );
    }
    const lib = this.ensureJars();
    mkdirSync(this.o.dir, { recursive: true });
    const properties = this.writeServerProperties();
    this.formatStorage(lib, properties);

    const logFile = join(this.o.dir, 'kafka.log');
    const out = openSync(logFile, 'a');
    const child = spawn(
      'java',
      [
        '-Xms256m',
        '-Xmx768m',
        '-XX:+UseG1GC',
        '-Djava.awt.headless=true',
        `-Dlog4j.configuration=file:${join(this.o.root, 'infra/kafka/log4j.properties')}`,
        '-cp',
        join(lib, '*'),
        'kafka.Kafka',
        properties,
      ],
      { detached: true, stdio: ['ignore', out, out], env: this.o.env ?? process.env },
    );
    closeSync(out);
    if (!child.pid) throw new Error('Could not start java for the Kafka broker');
    child.unref();
    writeFileSync(this.pidFile, String(child.pid));
    this.o.log(`Starting Kafka ${KAFKA_VERSION} (KRaft) on 127.0.0.1:${this.o.port}, pid ${child.pid}`);

    const pid = child.pid;
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if (!isProcessAlive(pid)) {
        removeFile(this.pidFile);
        throw new Error(`The Kafka broker exited during start-up. Last log lines:\n${tail(logFile, 20)}`);
      }
      if (await kafkaAnswers(this.brokers, 2000)) {
        return { brokers: this.brokers, source: 'started', stop: () => this.stop(pid) };
      }
      await sleep(250);
    }
    await this.stop(pid);
    throw new Error(
      `The Kafka broker was not ready within ${readyTimeoutMs} ms. Last log lines:\n${tail(logFile, 20)}`,
    );
  }

  async stop(pid: number): Promise<void> {
    await stopProcess(pid, 30000);
    removeFile(this.pidFile);
  }

  /** Copies the broker jars from Maven Central into infra/kafka/lib once (Maven caches them in ~/.m2). */
  private ensureJars(): string {
    const lib = join(this.o.root, 'infra/kafka/lib');
    const jar = `kafka_2.13-${KAFKA_VERSION}.jar`;
    if (existsSync(join(lib, jar))) return lib;
    if (!commandVersion('mvn', ['-v'], this.o.env)) {
      throw new Error(
        'Maven (mvn) is not installed (needed to fetch the Kafka jars). Install Maven, or set KAFKA_BROKERS.',
      );
    }
    this.o.log('Fetching the Kafka broker jars with Maven (first run only)…');
    const result = spawnSync('mvn', ['-q', '-B', 'dependency:copy-dependencies'], {
      env: this.o.env ?? process.env,
      cwd: join(this.o.root, 'infra/kafka'),
      encoding: 'utf8',
      timeout: 10 * 60 * 1000,
    });
    if (result.status !== 0 || !existsSync(join(lib, jar))) {
      throw new Error(`Maven could not fetch the Kafka jars:\n${(result.stdout ?? '') + (result.stderr ?? '')}`.trim());
    }
    return lib;
  }

  private writeServerProperties(): string {
    const file = join(this.o.dir, 'server.properties');
    const { port, controllerPort } = this.o;
    writeFileSync(
      file,
      [
        '# Generated by tools/infra/kafka.ts: a single-node KRaft broker for development and tests.',
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
        `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
        'controller.listener.names=CONTROLLER',
        'inter.broker.listener.name=PLAINTEXT',
        'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        `log.dirs=${join(this.o.dir, 'data')}`,
        'num.partitions=6',
        'auto.create.topics.enable=false',
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=10',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'default.replication.factor=1',
        'min.insync.replicas=1',
        'group.initial.rebalance.delay.ms=0',
        'log.retention.hours=168',
        'num.network.threads=2',
        'num.io.threads=4',
        '',
      ].join('\n'),
    );
    return file;
  }

  private formatStorage(lib: string, properties: string): void {
    const metaDir = join(this.o.dir, 'data');
    if (existsSync(join(metaDir, 'meta.properties'))) return;
    const result = spawnSync(
      'java',
      [
        '-cp',
        join(lib, '*'),
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId(),
        '-c',
        properties,
        '--ignore-formatted',
      ],
      { encoding: 'utf8', timeout: 120000, env: this.o.env ?? process.env },
    );
    if (result.status !== 0) {
      throw new Error(`Formatting the Kafka storage failed:\n${(result.stdout ?? '') + (result.stderr ?? '')}`.trim());
    }
  }
}

/** A Kafka cluster id: 16 random bytes, base64url (what `kafka-storage random-uuid` prints). */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function tail(file: string, lines: number): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
