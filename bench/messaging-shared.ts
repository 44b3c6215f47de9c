import { MigrationInterface, QueryRunner } from 'typeorm';
import { z } from 'zod';
import { EventCatalog, defineEvent } from '@cashless/contracts';
import { MessagingTables1764115200000 } from '@cashless/messaging';

/** What bench:messaging's producer process and consumer process share. */
export class BenchTables1764115200002 implements MigrationInterface {
  name = 'BenchTables1764115200002';
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE bench_order (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, shop text NOT NULL, amount bigint NOT NULL)`,
    );
    await q.query(`CREATE TABLE bench_effect (event_id uuid PRIMARY KEY, shop text NOT NULL, amount bigint NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE bench_effect');
    await q.query('DROP TABLE bench_order');
  }
}

export const orderPlaced = defineEvent(
  'bench.order_placed',
  1,
  z.object({ shop: z.string(), amount: z.number().int().positive(), sentAt: z.number() }),
);
export type OrderPlaced = z.output<typeof orderPlaced.schema>;
export const benchCatalog = new EventCatalog([orderPlaced]);
export const benchMigrations = [MessagingTables1764115200000, BenchTables1764115200002];

/** Messages from the consumer process to the driver. */
export type ConsumerReport =
  { kind: 'ready' } | { kind: 'latencies'; values: number[] } | { kind: 'error'; message: string };
