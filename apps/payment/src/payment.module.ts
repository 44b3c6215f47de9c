import { Module } from '@nestjs/common';
import { PaymentAuthModule } from './auth/auth.module';
import { BankNotificationsModule } from './bank-notifications/bank-notifications.module';
import { EXPIRY_OPTIONS, IntentExpiryJob } from './intents/intent-expiry.job';
import { IntentsController } from './intents/intents.controller';
import { IntentsService } from './intents/intents.service';
import { MerchantsModule } from './merchants/merchants.module';
import { NoticesModule } from './notices/notices.module';
import { PAYMENT_CONFIG } from './payment.config';
import type { PaymentConfig } from './payment.config';

/**
 * The payment service: merchant read model (from merchant events), payment intents with their
 * expiry, bank notifications and matching, instant notices. Needs the platform's DataSource and
 * OutboxWriter (DatabaseModule, MessagingModule).
 */
@Module({
  imports: [PaymentAuthModule, MerchantsModule, BankNotificationsModule, NoticesModule],
  controllers: [IntentsController],
  providers: [
    { provide: EXPIRY_OPTIONS, useFactory: (c: PaymentConfig) => c.expiry, inject: [PAYMENT_CONFIG] },
    IntentsService,
    IntentExpiryJob,
  ],
})
export class PaymentModule {}
