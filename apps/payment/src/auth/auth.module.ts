import { Global, Module } from '@nestjs/common';
import { PAYMENT_CONFIG, loadPaymentConfig } from '../payment.config';
import type { PaymentConfig } from '../payment.config';
import {
  HttpMerchantAuthenticator,
  MERCHANT_AUTH_OPTIONS,
  MerchantAuthenticator,
  MerchantGuard,
  MerchantSelfOrOfficerGuard,
  OfficerGuard,
} from './merchant-auth';

/**
 * The validated config and caller authentication, global so every domain module of the payment
 * service can use the guards. Config is validated at boot: a bad variable stops the service with its name.
 */
@Global()
@Module({
  providers: [
    { provide: PAYMENT_CONFIG, useFactory: () => loadPaymentConfig() },
    { provide: MERCHANT_AUTH_OPTIONS, useFactory: (c: PaymentConfig) => c.auth, inject: [PAYMENT_CONFIG] },
    { provide: MerchantAuthenticator, useClass: HttpMerchantAuthenticator },
    MerchantGuard,
    OfficerGuard,
    MerchantSelfOrOfficerGuard,
  ],
  exports: [PAYMENT_CONFIG, MerchantAuthenticator, MerchantGuard, OfficerGuard, MerchantSelfOrOfficerGuard],
})
export class PaymentAuthModule {}
