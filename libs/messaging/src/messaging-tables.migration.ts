import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox, inbox and dead-letter tables. Every service that publishes or consumes events
 * includes this migration in its own database.
 */
export class MessagingTables1764115200000 implements MigrationInterface {
  name = 'MessagingTables1764115200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox_message (
        seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id         uuid        NOT NULL UNIQUE,
        topic      text        NOT NULL,
        key        text        NOT NULL,
        payload    text        NOT NULL,
        headers    jsonb       NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE inbox_message (
        consumer     text        NOT NULL,
        event_id     uuid        NOT NULL,
        topic        text        NOT NULL,
        partition    integer     NOT NULL,
        kafka_offset bigint      NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
    await q.query(`CREATE INDEX inbox_message_processed_at ON inbox_message (processed_at)`);
    await q.query(`
      CREATE TABLE dead_letter (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        consumer     text        NOT NULL,
        topic        text        NOT NULL,
        partition    integer     NOT NULL,
        kafka_offset bigint      NOT NULL,
        event_id     text,
        message_key  text,
        value        text,
        error        text        NOT NULL,
        attempts     integer     NOT NULL,
        failed_at    timestamptz NOT NULL DEFAULT now(),
        UNIQUE (consumer, topic, partition, kafka_offset)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE dead_letter');
    await q.query('DROP TABLE inbox_message');
    await q.query('DROP TABLE outbox_message');
  }
}
