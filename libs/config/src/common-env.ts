import { z } from 'zod';

const postgresUrl = z.string().refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// URL');

const brokerList = z
  .string()
  .min(1)
  .transform((v) =>
    v
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
  )
  .refine((list) => list.every((b) => /^[^:\s]+:\d+$/.test(b)), 'must be host:port[,host:port…]');

export const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** Variables every service understands. Services extend this with their own. */
export const serviceEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: LogLevel.default('info'),
  /** A short id for this process in logs and Kafka client ids; defaults to the service name. */
  INSTANCE_ID: z.string().optional(),
});

export const databaseEnv = z.object({
  /** The service's own database (each service owns one). */
  DATABASE_URL: postgresUrl,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
});

export const kafkaEnv = z.object({
  KAFKA_BROKERS: brokerList,
});

export const portEnv = (defaultPort: number) =>
  z.object({ PORT: z.coerce.number().int().min(0).max(65535).default(defaultPort) });

export type ServiceEnv = z.output<typeof serviceEnv>;
