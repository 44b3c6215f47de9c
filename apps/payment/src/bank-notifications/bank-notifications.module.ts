import { Module } from '@nestjs/common';
import { MerchantsModule } from '../merchants/merchants.module';
import { NoticesModule } from '../notices/notices.module';

/** Bank notifications: signed intake (generic, SePay, Casso, payOS), matching, unattributed queue. */
@Module({
  imports: [MerchantsModule, NoticesModule],
})
export class BankNotificationsModule {}
