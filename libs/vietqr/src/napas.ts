/** NAPAS application identifier: the GUID (sub-ID 00) of the VietQR merchant account template. */
export const NAPAS_GUID = 'A000000727';
/** NAPAS247 fast transfer to an account / to a card (38/02). */
export const SERVICE_CODE_ACCOUNT = 'QRIBFTTA';
export const SERVICE_CODE_CARD = 'QRIBFTTC';
/** NAPAS 1.5.2 service codes that are VietQR but not transfers: merchant payment, ATM cash. */
export const NON_TRANSFER_SERVICE_CODES: ReadonlySet<string> = new Set(['QRPUSH', 'QRCASH']);
/** NAPAS247 takes transfers below 500 million đồng (NAPAS VietQR spec v1.0 §8.1.1). */
export const NAPAS_AMOUNT_LIMIT = 500_000_000;
/** ISO 4217 numeric code of the đồng. */
export const VND_NUMERIC = '704';
