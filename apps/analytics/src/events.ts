import { EventCatalog, merchantEvents, paymentEvents } from '@cashless/contracts';

/** Event types the analytics service consumes (it publishes none), validated on receipt. */
export const analyticsCatalog = new EventCatalog([...merchantEvents, ...paymentEvents]);
