import { Injectable, Module } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PaymentRecordedData } from '@cashless/contracts';
import { PaymentNotices } from './payment-notices';

/** Placeholder until the live feed and webhooks land: records nothing. */
@Injectable()
class PendingPaymentNotices extends PaymentNotices {
  async paymentRecorded(_em: EntityManager, _payment: PaymentRecordedData): Promise<void> {}
}

/** Instant notice to shop owners: live feed (SSE) and signed merchant webhooks. */
@Module({
  providers: [{ provide: PaymentNotices, useClass: PendingPaymentNotices }],
  exports: [PaymentNotices],
})
export class NoticesModule {}
