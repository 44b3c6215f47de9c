import { Module } from '@nestjs/common';
import { AuditLog } from './audit/audit-log.service';
import { AUTH_CONFIG, loadAuthConfig } from './auth/auth.config';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { AuthenticatedGuard, OfficerGuard } from './auth/guards';
import { MerchantsController } from './merchants/merchants.controller';
import { MerchantsService } from './merchants/merchants.service';
import { RegistrationService } from './registration/registration.service';
import { StreetsController } from './streets/streets.controller';
import { StreetsService } from './streets/streets.service';

/**
 * The merchant service: merchants, payout accounts, street registry, officers' review.
 * Needs the platform's DataSource and OutboxWriter (DatabaseModule, MessagingModule).
 */
@Module({
  controllers: [AuthController, StreetsController, MerchantsController],
  providers: [
    // Validated at boot: a bad AUTH_TOKEN_SECRET stops the service with the variable named.
    { provide: AUTH_CONFIG, useFactory: () => loadAuthConfig() },
    AuthService,
    AuthenticatedGuard,
    OfficerGuard,
    AuditLog,
    StreetsService,
    RegistrationService,
    MerchantsService,
  ],
})
export class MerchantModule {}
