import { BANKS } from './data/banks';
import { foldVietnamese } from './text';

/** One entry of the bank directory (see `data/banks.ts` for its sources). */
export interface Bank {
  /** 6-digit acquirer/beneficiary BIN used in VietQR 38/01/00. Not always `9704xx`. */
  readonly bin: string;
  /** NAPAS short code as used by vietqr.io (ICB = VietinBank, VBA = Agribank…). */
  readonly code: string | null;
  readonly shortName: string | null;
  readonly name: string;
  readonly swiftCode: string | null;
  /** vietqr.io: the bank's app accepts VietQR transfers; null when unknown. */
  readonly napasTransferSupported: boolean | null;
  readonly inVietqrIoList: boolean;
  readonly vietqrIoId: number | null;
  readonly inSbvBinList2023: boolean;
  readonly sbvName: string | null;
  readonly sources: readonly string[];
  readonly note?: string;
}

export { BANKS };

function key(text: string): string {
  return foldVietnamese(text)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const byBin = new Map<string, Bank>();
const byBinNumber = new Map<number, Bank>();
const byCode = new Map<string, Bank>();
const byShortName = new Map<string, Bank>();

for (const bank of BANKS) {
  byBin.set(bank.bin, bank);
  byBinNumber.set(Number(bank.bin), bank);
  // One institution can hold two BINs (CIMB 422589/970459, MAFC 977777/970468): a code or name
  // resolves to the BIN bank apps list (vietqr.io), and both BINs stay valid when parsing.
  if (bank.code !== null) {
    const k = key(bank.code);
    const current = byCode.get(k);
    if (current === undefined || (!current.inVietqrIoList && bank.inVietqrIoList)) byCode.set(k, bank);
  }
  if (bank.shortName !== null) {
    const k = key(bank.shortName);
    const current = byShortName.get(k);
    if (current === undefined || (!current.inVietqrIoList && bank.inVietqrIoList)) byShortName.set(k, bank);
  }
}

const BIN = /^\d{6}$/;

export function findBankByBin(bin: string): Bank | undefined {
  return byBin.get(bin);
}

/** @internal By the BIN's numeric value (a decoder that already parsed the digits). */
export function findBankByBinNumber(bin: number): Bank | undefined {
  return byBinNumber.get(bin);
}

/** By NAPAS/vietqr.io code, ignoring case, spaces and punctuation ("icb", "IBK - HN"). */
export function findBankByCode(code: string): Bank | undefined {
  return byCode.get(key(code));
}

/** By short name, ignoring case, spaces and punctuation ("vietinbank", "MB Bank"). */
export function findBankByShortName(shortName: string): Bank | undefined {
  return byShortName.get(key(shortName));
}

/** A BIN, code or short name → the bank; BINs are never guessed from a `9704` prefix. */
export function resolveBank(query: string): Bank | undefined {
  const q = query.trim();
  if (BIN.test(q)) return byBin.get(q);
  return findBankByCode(q) ?? findBankByShortName(q);
}

/** Valid only when the directory knows it: many routable BINs are not `9704xx` (546034 CAKE, 971025 MoMo…). */
export function isKnownBin(bin: string): boolean {
  return BIN.test(bin) && byBin.has(bin);
}

/** Banks whose BIN, code, short name or name contains the query (accents and case ignored). */
export function searchBanks(query = ''): Bank[] {
  const q = key(query);
  if (q.length === 0) return [...BANKS];
  const exact = resolveBank(query);
  const hits = BANKS.filter((bank) =>
    [bank.bin, bank.code, bank.shortName, bank.name, bank.sbvName].some(
      (field) => field !== null && key(field).includes(q),
    ),
  );
  if (exact !== undefined) return [exact, ...hits.filter((bank) => bank !== exact)];
  return hits;
}
