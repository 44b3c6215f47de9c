import { Module } from '@nestjs/common';
import { PaymentNotices } from './payment-notices';

/** Instant notice to shop owners: live feed (SSE) and signed merchant webhooks. */
@Module({
  providers: [],
  exports: [],
})
export class NoticesModule {}
void PaymentNotices;
