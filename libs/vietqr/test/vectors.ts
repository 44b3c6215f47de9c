import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The public vectors and bank directory shared with the project (`../shared/data` from the repo root). */
export const SHARED_DATA = join(process.cwd(), '..', 'shared', 'data');

export interface VectorExpectation {
  readonly isVietQR: boolean;
  readonly rejectReason?: string;
  readonly currency?: string;
  readonly country?: string;
  readonly amount?: string | null;
  readonly purpose?: string | null;
  readonly merchantName?: string | null;
  readonly merchantCity?: string | null;
  readonly mcc?: string | null;
  readonly bankBin?: string;
  readonly account?: string;
  readonly serviceCode?: string;
  readonly kind?: 'account' | 'card';
  readonly initiationMethod?: string;
  readonly static?: boolean;
  readonly billNumber?: string;
  readonly referenceLabel?: string;
  readonly guid?: string;
  readonly merchantAccountTemplateId?: string;
}

export interface Vector {
  readonly id: string;
  readonly payload: string;
  readonly verified: boolean;
  readonly crcDeclared: string;
  readonly crcComputed: string;
  readonly tlvWellFormed: boolean;
  readonly lengthCountedIn: 'characters' | 'utf8-bytes';
  readonly expected: VectorExpectation;
}

export function loadVectors(): { crcCheckValue: { input: string; crc: string }; vectors: Vector[] } {
  return JSON.parse(readFileSync(join(SHARED_DATA, 'vietqr-vectors.json'), 'utf8')) as {
    crcCheckValue: { input: string; crc: string };
    vectors: Vector[];
  };
}

export function loadSharedBanks(): unknown {
  return JSON.parse(readFileSync(join(SHARED_DATA, 'vn-banks.json'), 'utf8'));
}
