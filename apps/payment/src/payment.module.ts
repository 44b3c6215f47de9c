import { Module } from '@nestjs/common';

/** The payment service: payment intents, bank notifications, matching, merchant notices. Domain modules are imported here. */
@Module({ imports: [] })
export class PaymentModule {}
