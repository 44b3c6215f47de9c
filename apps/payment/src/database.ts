import { MessagingTables1764115200000 } from '@cashless/messaging';
import type { DatabaseServiceDefinition } from '@cashless/platform';
import { MerchantReadModelAndIntents1765152000000 } from './migrations/1765152000000-merchant-read-model-and-intents';
import { BankNotificationsAndPayments1765238400000 } from './migrations/1765238400000-bank-notifications-and-payments';
import { MerchantWebhooks1765238500000 } from './migrations/1765238500000-merchant-webhooks';

/** Entities and migrations of the payment database (owned by this service alone). Plain SQL, no entities. */
export const paymentDatabase: DatabaseServiceDefinition['database'] = {
  entities: [],
  migrations: [
    MessagingTables1764115200000,
    MerchantReadModelAndIntents1765152000000,
    BankNotificationsAndPayments1765238400000,
    MerchantWebhooks1765238500000,
  ],
};
