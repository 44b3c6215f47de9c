import { EventCatalog } from '@cashless/contracts';

/** Event types the analytics service publishes or consumes (validated on both sides). */
export const analyticsCatalog = new EventCatalog([]);
