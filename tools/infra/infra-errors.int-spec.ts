import { createServer, Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { repoRoot } from './paths';
import { resolveKafka } from './kafka';

/** When the local broker cannot start, the message names the cause, at once, instead of hanging. */
describe('local Kafka start-up failures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cashless-infra-'));
  const servers: Server[] = [];
  afterAll(() => {
    for (const s of servers) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the port that another program holds', async () => {
    const blocker = createServer(() => undefined);
    servers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(19692, '127.0.0.1', resolve));
    const started = Date.now();
    await expect(
      resolveKafka({
        root: repoRoot(),
        dataDir: dir,
        log: () => undefined,
        env: { KAFKA_PORT: '19692' },
        readyTimeoutMs: 5000,
      }),
    ).rejects.toThrow('Port 19692 is in use by another program');
    expect(Date.now() - started).toBeLessThan(20000); // reported, not waited out
  });

  it('names Java when it is not installed', async () => {
    const env = { KAFKA_PORT: '19792', PATH: join(dir, 'empty-bin') };
    await expect(resolveKafka({ root: repoRoot(), dataDir: dir, log: () => undefined, env })).rejects.toThrow(
      /Java is not installed/,
    );
  });
});
