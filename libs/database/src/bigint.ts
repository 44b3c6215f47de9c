import { ValueTransformer } from 'typeorm';

/**
 * PostgreSQL `bigint` arrives from `pg` as a string (it can exceed 2^53). Money and sequence
 * numbers are converted here, in one place, to `bigint` and never to floating point.
 */
export const bigintTransformer: ValueTransformer = {
  to: (value: bigint | null | undefined) => (value === null || value === undefined ? value : value.toString()),
  from: (value: string | null) => (value === null ? null : BigInt(value)),
};
