import { Module } from '@nestjs/common';

/** The merchant service: merchants, payout accounts, street registry, boards. Domain modules are imported here. */
@Module({ imports: [] })
export class MerchantModule {}
