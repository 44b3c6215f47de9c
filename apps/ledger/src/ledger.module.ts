import { Module } from '@nestjs/common';

/** The ledger service: the double-entry journal, balances, statements, reconciliation. Domain modules are imported here. */
@Module({ imports: [] })
export class LedgerModule {}
