import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './load-config';
import { databaseEnv, kafkaEnv, portEnv, serviceEnv } from './common-env';

const schema = serviceEnv.extend(databaseEnv.shape).extend(kafkaEnv.shape).extend(portEnv(8081).shape);

describe('loadConfig', () => {
  it('applies defaults and parses lists and numbers', () => {
    const config = loadConfig(schema, {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/cashless_merchant',
      KAFKA_BROKERS: '127.0.0.1:9092, kafka-2:9092',
    });
    expect(config).toMatchObject({
      PORT: 8081,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_POOL_SIZE: 10,
      KAFKA_BROKERS: ['127.0.0.1:9092', 'kafka-2:9092'],
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every invalid or missing variable', () => {
    let error: unknown;
    try {
      loadConfig(schema, { DATABASE_URL: 'mysql://x', KAFKA_BROKERS: 'no-port', PORT: '99999' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).issues.map((i) => i.variable).sort();
    expect(variables).toEqual(['DATABASE_URL', 'KAFKA_BROKERS', 'PORT']);
    expect((error as ConfigError).message).toContain('DATABASE_URL: must be a postgres:// URL');
  });

  it('reports a required variable that is absent', () => {
    expect(() => loadConfig(schema, { KAFKA_BROKERS: 'k:9092' })).toThrow(/DATABASE_URL/);
  });
});
