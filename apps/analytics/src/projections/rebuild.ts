import type { DataSource } from 'typeorm';
import { AffectedKeys, ProjectionStore, allAffectedKeys } from './projection-store';

export interface RebuildResult {
  payments: number;
  merchants: number;
  slices: number;
  merchantMonths: number;
  seconds: number;
}

const CHUNK = 2_000;

/**
 * Rebuilds every derived table from the stored facts in one transaction: empties them, then
 * recomputes every key with the same code the consumers run, chunk by chunk. Consumers that
 * write meanwhile wait on the tables' lock and recompute their own keys afterwards.
 */
export async function rebuildProjections(dataSource: DataSource, store: ProjectionStore): Promise<RebuildResult> {
  const started = performance.now();
  return dataSource.transaction(async (em) => {
    await em.query(
      'TRUNCATE daily_payment, monthly_payment, merchant_activity, merchant_days, street_total, shopper_sketch',
    );
    const all = await allAffectedKeys(em);
    const slices = [...all.slices];
    const months = [...all.merchantMonths];
    for (let i = 0; i < Math.max(slices.length, months.length); i += CHUNK) {
      const chunk = new AffectedKeys();
      for (const key of slices.slice(i, i + CHUNK)) chunk.slices.add(key);
      for (const key of months.slice(i, i + CHUNK)) chunk.merchantMonths.add(key);
      await store.refresh(em, chunk, false, false);
    }
    // Street totals and whole-city sketches aggregate over every merchant: complete once every chunk is in.
    for (let i = 0; i < slices.length; i += CHUNK) await store.refreshAggregates(em, new Set(slices.slice(i, i + CHUNK)));
    const [counts] = (await em.query(
      'SELECT (SELECT count(*) FROM payment_fact)::int AS payments, (SELECT count(*) FROM merchant_fact)::int AS merchants',
    )) as { payments: number; merchants: number }[];
    return {
      ...counts,
      slices: slices.length,
      merchantMonths: months.length,
      seconds: (performance.now() - started) / 1000,
    };
  });
}
