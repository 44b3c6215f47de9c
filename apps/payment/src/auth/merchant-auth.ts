// Caller authentication is shared by the services that hold no credentials (ADR 0010).
export * from '@cashless/auth';
