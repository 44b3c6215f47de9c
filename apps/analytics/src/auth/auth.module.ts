import { Global, Module } from '@nestjs/common';
import { HttpMerchantAuthenticator, MERCHANT_AUTH_OPTIONS, MerchantAuthenticator, OfficerGuard } from '@cashless/auth';
import { ANALYTICS_CONFIG, loadAnalyticsConfig } from '../analytics.config';
import type { AnalyticsConfig } from '../analytics.config';

/**
 * The validated config and officer authentication (asked of the merchant service), global so
 * every domain module of the analytics service can use them. A bad variable stops the service with its name.
 */
@Global()
@Module({
  providers: [
    { provide: ANALYTICS_CONFIG, useFactory: () => loadAnalyticsConfig() },
    { provide: MERCHANT_AUTH_OPTIONS, useFactory: (c: AnalyticsConfig) => c.auth, inject: [ANALYTICS_CONFIG] },
    { provide: MerchantAuthenticator, useClass: HttpMerchantAuthenticator },
    OfficerGuard,
  ],
  exports: [ANALYTICS_CONFIG, MerchantAuthenticator, OfficerGuard],
})
export class AnalyticsAuthModule {}
