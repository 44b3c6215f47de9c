export * from './kafka';
export * from './messaging-tables.migration';
export * from './outbox/outbox.writer';
export * from './outbox/outbox.relay';
export * from './inbox/inbox.context';
export * from './inbox/kafka-inbox.server';
export * from './topics-admin';
export * from './messaging.module';
