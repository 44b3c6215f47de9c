import { Module } from '@nestjs/common';
import { MerchantEventsController } from './merchant-events.controller';
import { MerchantReadModel } from './merchant-read-model';

/** The local read model of merchants and their payout accounts, fed by merchant events. */
@Module({
  controllers: [MerchantEventsController],
  providers: [MerchantReadModel],
  exports: [MerchantReadModel],
})
export class MerchantsModule {}
