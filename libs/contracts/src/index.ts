export * from './envelope';
export * from './topics';
export * from './event-catalog';
export * from './events/merchant';
export * from './events/payment';
