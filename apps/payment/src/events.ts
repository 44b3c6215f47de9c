import { EventCatalog, merchantEvents, paymentEvents } from '@cashless/contracts';

/** Event types the payment service publishes (payment.*) or consumes (merchant.*), validated on both sides. */
export const paymentCatalog = new EventCatalog([...merchantEvents, ...paymentEvents]);
