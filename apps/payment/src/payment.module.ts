import { Module } from '@nestjs/common';
import {
  HttpMerchantAuthenticator,
  MERCHANT_AUTH_OPTIONS,
  MerchantAuthenticator,
  MerchantGuard,
} from './auth/merchant-auth';
import { EXPIRY_OPTIONS, IntentExpiryJob } from './intents/intent-expiry.job';
import { IntentsController } from './intents/intents.controller';
import { IntentsService } from './intents/intents.service';
import { MerchantEventsController } from './merchants/merchant-events.controller';
import { MerchantReadModel } from './merchants/merchant-read-model';
import { loadPaymentConfig } from './payment.config';

const PAYMENT_CONFIG = Symbol('PAYMENT_CONFIG');

/**
 * The payment service: merchant read model (from merchant events), payment intents with their
 * expiry. Needs the platform's DataSource and OutboxWriter (DatabaseModule, MessagingModule).
 */
@Module({
  controllers: [MerchantEventsController, IntentsController],
  providers: [
    // Validated at boot: a bad variable stops the service with its name.
    { provide: PAYMENT_CONFIG, useFactory: () => loadPaymentConfig() },
    {
      provide: MERCHANT_AUTH_OPTIONS,
      useFactory: (c: ReturnType<typeof loadPaymentConfig>) => c.auth,
      inject: [PAYMENT_CONFIG],
    },
    {
      provide: EXPIRY_OPTIONS,
      useFactory: (c: ReturnType<typeof loadPaymentConfig>) => c.expiry,
      inject: [PAYMENT_CONFIG],
    },
    { provide: MerchantAuthenticator, useClass: HttpMerchantAuthenticator },
    MerchantGuard,
    MerchantReadModel,
    IntentsService,
    IntentExpiryJob,
  ],
})
export class PaymentModule {}
