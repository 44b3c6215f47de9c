export * from './tokens';
export * from './platform.module';
export * from './bootstrap';
export * from './database.module';
export * from './run-service';
