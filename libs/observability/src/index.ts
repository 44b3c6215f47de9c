export * from './logger';
export * from './request-context';
export * from './metrics';
export * from './health';
export * from './api-error';
export * from './field-errors';
export * from './error.filter';
