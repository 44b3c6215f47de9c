import { Module } from '@nestjs/common';
import { MerchantsModule } from '../merchants/merchants.module';
import { NoticesModule } from '../notices/notices.module';
import { BankNotificationsController } from './bank-notifications.controller';
import { BankNotificationsService } from './bank-notifications.service';
import { NotificationReportModule } from './notification-report.controller';
import { PaymentRecorder } from './payment-records';
import { RawBodyRoutes } from './raw-body';
import { UnattributedController } from './unattributed.controller';
import { UnattributedService } from './unattributed.service';

/**
 * Bank notifications: signed intake (generic, SePay, Casso, payOS), matching, unattributed queue.
 * DataSource and OutboxWriter come from the platform; the payment config from PaymentAuthModule.
 */
@Module({
  imports: [MerchantsModule, NoticesModule, NotificationReportModule],
  controllers: [BankNotificationsController, UnattributedController],
  providers: [RawBodyRoutes, BankNotificationsService, PaymentRecorder, UnattributedService],
})
export class BankNotificationsModule {}
