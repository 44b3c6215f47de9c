import { Kafka, KafkaConfig, logLevel, LogEntry, Partitioners, ProducerConfig } from 'kafkajs';

/** Minimal logger shape, so this lib does not depend on a particular logging library. */
export interface MessagingLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export const silentLogger: MessagingLogger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger?: MessagingLogger;
  /** Connection timeout; short by default so an absent broker is reported, not waited on. */
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/**
 * Every Kafka connection of the platform is made here, so the client library (kafkajs,
 * unmaintained since 2023) can be swapped in one place.
 */
export function createKafka(options: KafkaClientOptions): Kafka {
  const logger = options.logger ?? silentLogger;
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: options.requestTimeoutMs ?? 30000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, ...rest } = log;
        const entry = { kafka: namespace, ...rest };
        if (level === logLevel.ERROR) logger.error(entry, message);
        else if (level === logLevel.WARN) logger.warn(entry, message);
        else logger.debug(entry, message);
      },
  };
  return new Kafka(config);
}

/**
 * One partitioner for every producer of a topic (kafkajs v2 changed its default), so a key
 * always maps to the same partition whoever publishes it.
 */
export const producerConfig: ProducerConfig = {
  createPartitioner: Partitioners.DefaultPartitioner,
  allowAutoTopicCreation: false,
  // One request in flight keeps a key's messages in order even when a send is retried.
  maxInFlightRequests: 1,
  idempotent: false,
};
