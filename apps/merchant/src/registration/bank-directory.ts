import { VN_BANKS } from './data/vn-banks';

export interface DirectoryBank {
  bin: string;
  shortName: string | null;
  name: string;
}

// A copy of ../shared/data/vn-banks.json bundled with the app; it moves to a shared lib later,
// and only this function has to change then.
const BY_BIN = new Map<string, DirectoryBank>(
  VN_BANKS.map((b) => [b.bin, { bin: b.bin, shortName: b.shortName, name: b.name }]),
);

/** The bank with this 6-digit BIN in the NAPAS directory, if any. */
export function findBankByBin(bin: string): DirectoryBank | undefined {
  return BY_BIN.get(bin);
}
