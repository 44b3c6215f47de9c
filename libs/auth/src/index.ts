export * from './caller-auth';
