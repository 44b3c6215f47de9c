import { Module } from '@nestjs/common';
import { AdminUnitsController } from './admin-units/admin-units.controller';
import { AdminUnitsService } from './admin-units/admin-units.service';
import { MerchantCredentialsController } from './api-keys/api-keys.controller';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuditLog } from './audit/audit-log.service';
import { AUTH_CONFIG, loadAuthConfig } from './auth/auth.config';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { AuthenticatedGuard, OfficerGuard } from './auth/guards';
import { loadBoardFonts } from './boards/board-render';
import { BoardsController, FraudReportsController, MerchantBoardsController } from './boards/boards.controller';
import { BOARD_FONTS, BoardsService } from './boards/boards.service';
import { MerchantPasswordService } from './auth/merchant-password.service';
import { MerchantsController } from './merchants/merchants.controller';
import { MerchantsService } from './merchants/merchants.service';
import { PayoutAccountsController } from './payout-accounts/payout-accounts.controller';
import { PayoutAccountsService } from './payout-accounts/payout-accounts.service';
import { RegistrationService } from './registration/registration.service';
import { StreetsController } from './streets/streets.controller';
import { StreetsService } from './streets/streets.service';

/**
 * The merchant service: merchants, payout accounts, credentials, street registry with dated
 * administrative units, officers' review, boards with their verification and fraud reports.
 * Needs the platform's DataSource and OutboxWriter (DatabaseModule, MessagingModule).
 */
@Module({
  controllers: [
    AuthController,
    StreetsController,
    AdminUnitsController,
    MerchantsController,
    MerchantCredentialsController,
    PayoutAccountsController,
    MerchantBoardsController,
    BoardsController,
    FraudReportsController,
  ],
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
    ApiKeysService,
    MerchantPasswordService,
    PayoutAccountsService,
    AdminUnitsService,
    // Read at boot: a missing font stops the service with the path named.
    { provide: BOARD_FONTS, useFactory: () => loadBoardFonts() },
    BoardsService,
  ],
})
export class MerchantModule {}
