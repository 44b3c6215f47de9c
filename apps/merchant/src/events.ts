import { EventCatalog, merchantEvents } from '@cashless/contracts';

/** Event types the merchant service publishes or consumes (validated on both sides). */
export const merchantCatalog = new EventCatalog([...merchantEvents]);
