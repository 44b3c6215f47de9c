export * from './postgres-url';
export * from './ensure-database';
export * from './data-source';
export * from './migrate';
export * from './bigint';
export * from './keyset-cursor';
export * from './prepared-statement';
