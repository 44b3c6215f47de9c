import { describe, expect, it } from '@jest/globals';
import { HealthRegistry } from './health';

describe('HealthRegistry', () => {
  it('is ok when every check passes', async () => {
    const health = new HealthRegistry('merchant');
    health.register({ name: 'database', check: async () => undefined });
    const report = await health.report();
    expect(report).toMatchObject({ status: 'ok', service: 'merchant', checks: { database: { status: 'up' } } });
  });

  it('reports the failing dependency and why', async () => {
    const health = new HealthRegistry('payment');
    health.register({ name: 'database', check: async () => undefined });
    health.register({ name: 'kafka', check: async () => Promise.reject(new Error('broker unreachable')) });
    const report = await health.report();
    expect(report.status).toBe('error');
    expect(report.checks.kafka).toMatchObject({ status: 'down', error: 'broker unreachable' });
    expect(report.checks.database.status).toBe('up');
  });

  it('does not hang on a check that never answers', async () => {
    const health = new HealthRegistry('ledger');
    health.register({ name: 'kafka', check: () => new Promise(() => undefined) });
    const report = await health.report(50);
    expect(report.checks.kafka).toMatchObject({ status: 'down', error: 'kafka check timed out' });
  });
});
