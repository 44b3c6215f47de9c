import { EventCatalog } from '@cashless/contracts';

/** Event types the ledger service publishes or consumes (validated on both sides). */
export const ledgerCatalog = new EventCatalog([]);
