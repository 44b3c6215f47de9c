import { join } from 'node:path';
import { dataDir, readPidFile, repoRoot, resolveKafka, stopProcess } from '@cashless/infra';

/**
 * `node dist/tools/local-kafka.js up|down`: starts the local single-node broker in the
 * background (leaving it running) or stops it by its PID file. For CI and for developers
 * who want one broker across many test runs.
 */
async function main(command: string | undefined): Promise<void> {
  const root = repoRoot();
  const data = dataDir(root);
  const log = (message: string): void => void process.stdout.write(`${message}\n`);
  if (command === 'up') {
    const env = { ...process.env, KAFKA_BROKERS: undefined };
    const kafka = await resolveKafka({ root, dataDir: data, log, env });
    log(`KAFKA_BROKERS=${kafka.brokers.join(',')}`);
    return;
  }
  if (command === 'down') {
    const pid = readPidFile(join(data, 'kafka', 'kafka.pid'));
    if (!pid) return log('No local Kafka broker is running');
    await stopProcess(pid, 30000);
    return log(`Stopped the local Kafka broker (pid ${pid})`);
  }
  throw new Error('usage: local-kafka up|down');
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
