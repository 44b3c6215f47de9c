import { EventCatalog } from '@cashless/contracts';

/** Event types the payment service publishes or consumes (validated on both sides). */
export const paymentCatalog = new EventCatalog([]);
