import { MessagingTables1764115200000 } from '@cashless/messaging';
import type { DatabaseServiceDefinition } from '@cashless/platform';
import { AuditLogEntity } from './audit/audit-log.entity';
import { FraudReportEntity } from './boards/fraud-report.entity';
import { OfficerEntity } from './auth/officer.entity';
import {
  DuplicateFlagEntity,
  MerchantApiKeyEntity,
  MerchantEntity,
  PayoutAccountEntity,
} from './merchants/merchant.entities';
import { MerchantRegistry1764288000000 } from './migrations/1764288000000-merchant-registry';
import { MerchantCredentialsAndAccounts1764460800000 } from './migrations/1764460800000-merchant-credentials-and-accounts';
import { BoardsAndFraudReports1764806400000 } from './migrations/1764806400000-boards-and-fraud-reports';
import { AdminUnitEntity, AdminUnitSuccessorEntity, StreetEntity, StreetWardEntity } from './streets/street.entities';

/** Entities and migrations of the merchant database (owned by this service alone). */
export const merchantDatabase: DatabaseServiceDefinition['database'] = {
  entities: [
    AdminUnitEntity,
    AdminUnitSuccessorEntity,
    StreetEntity,
    StreetWardEntity,
    MerchantEntity,
    PayoutAccountEntity,
    MerchantApiKeyEntity,
    DuplicateFlagEntity,
    OfficerEntity,
    AuditLogEntity,
    FraudReportEntity,
  ],
  migrations: [
    MessagingTables1764115200000,
    MerchantRegistry1764288000000,
    MerchantCredentialsAndAccounts1764460800000,
    BoardsAndFraudReports1764806400000,
  ],
};
