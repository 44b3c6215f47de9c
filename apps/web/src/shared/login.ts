/**
 * What a login refused with `409 ambiguous_login` offers: the shops that phone and password open
 * (the service lists them only after the password matched). Pure, unit-tested.
 */
export interface ShopChoice {
  id: string;
  shopName: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The shops in an error's details, or [] when the error is not an ambiguous login. */
export function ambiguousShops(code: string | null, details: unknown): ShopChoice[] {
  if (code !== 'ambiguous_login' || !details || typeof details !== 'object') return [];
  const merchants = (details as { merchants?: unknown }).merchants;
  if (!Array.isArray(merchants)) return [];
  return merchants.flatMap((m: unknown) => {
    if (!m || typeof m !== 'object') return [];
    const { id, shopName } = m as { id?: unknown; shopName?: unknown };
    return typeof id === 'string' && UUID.test(id) && typeof shopName === 'string' ? [{ id, shopName }] : [];
  });
}
