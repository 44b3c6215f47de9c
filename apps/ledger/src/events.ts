import { EventCatalog, ledgerEvents, paymentEvents } from '@cashless/contracts';

/** Event types the ledger service consumes (payment.*) or publishes (ledger.*), validated on both sides. */
export const ledgerCatalog = new EventCatalog([...paymentEvents, ...ledgerEvents]);
