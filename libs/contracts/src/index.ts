export * from './bank-notification';
export * from './envelope';
export * from './signature';
export * from './topics';
export * from './event-catalog';
export * from './events/merchant';
export * from './events/payment';
export * from './events/ledger';
