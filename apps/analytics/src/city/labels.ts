import type { LocalizedText } from '@cashless/observability';
import { findBankByBin } from '@cashless/vietqr';

/** A bank by its BIN as people know it (short name), or the BIN itself when the directory lacks it. */
export function bankLabel(bin: string): LocalizedText {
  const bank = findBankByBin(bin);
  const name = bank?.shortName ?? bank?.name ?? bin;
  return { vi: name, en: name };
}
