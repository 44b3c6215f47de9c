import { findBankByBin, type Bank } from './banks';
import { IssueLog, type DecodeError, type DecodeWarning, where } from './issues';
import { decodeTemplate, findObject, parseEmv, warnOrder, type LengthUnit, type TlvNode } from './tlv';

import {
  NAPAS_AMOUNT_LIMIT,
  NAPAS_GUID,
  NON_TRANSFER_SERVICE_CODES,
  SERVICE_CODE_ACCOUNT,
  SERVICE_CODE_CARD,
  VND_NUMERIC,
} from './napas';
import { decodeCleanVietQr } from './vietqr-fast';

export type Initiation = 'static' | 'dynamic';
export type TransferService = 'account' | 'card';

/** The decoded fields; exactly the `fields` object printed by `cashless vietqr decode`. */
export interface VietQrFields {
  /** 01 as encoded: `11` static (reusable), `12` dynamic (one transaction); null otherwise. */
  readonly initiation: Initiation | null;
  readonly bankBin: string | null;
  /** From the bank directory; null when the BIN is unknown. */
  readonly bankShortName: string | null;
  /** Account or card number (38/01/01); may contain letters (virtual accounts, wallets). */
  readonly account: string | null;
  /** From 38/02: QRIBFTTA → account, QRIBFTTC → card; null for other or no service code. */
  readonly service: TransferService | null;
  /** 54 as encoded, a trailing "." removed; null when absent. */
  readonly amount: string | null;
  readonly currency: string | null;
  readonly country: string | null;
  /** 62/08, the transfer content bank apps pre-fill. */
  readonly purpose: string | null;
  readonly billNumber: string | null;
  readonly referenceLabel: string | null;
  readonly merchantName: string | null;
  readonly merchantCity: string | null;
  readonly mcc: string | null;
}

export interface VietQrDecodeResult {
  readonly crcValid: boolean;
  /** TLV structure, format indicator and CRC are valid. */
  readonly emvco: boolean;
  /** Also a well-formed NAPAS VietQR (template with GUID A000000727 and the VietQR root rules). */
  readonly vietqr: boolean;
  /** Also a transfer QR: service code QRIBFTTA or QRIBFTTC. */
  readonly transfer: boolean;
  readonly errors: readonly DecodeError[];
  readonly warnings: readonly DecodeWarning[];
  readonly fields: VietQrFields;
  /** 01 exactly as encoded ("11", "12", or anything else found). */
  readonly pointOfInitiation: string | null;
  /** Root ID of the NAPAS template, normally "38". */
  readonly napasTemplateId: string | null;
  /** 38/02 as encoded. */
  readonly serviceCode: string | null;
  readonly bank: Bank | null;
  readonly lengthUnit: LengthUnit;
  readonly objects: readonly TlvNode[];
}

function value(objects: readonly TlvNode[] | null, id: string): string | null {
  const node = findObject(objects, id);
  return node === undefined ? null : node.value;
}

function isMerchantAccountTemplate(id: string): boolean {
  return id >= '26' && id <= '51';
}

/** All characters in [lo, hi] and length in [min, max] (regex-free: this runs per payload). */
function charsIn(s: string, lo: number, hi: number, min: number, max: number): boolean {
  if (s.length < min || s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < lo || c > hi) return false;
  }
  return true;
}

/** VND amount: digits with an optional single trailing ".", at most 13 characters. */
function isAmount(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 13) return false;
  const end = s.charCodeAt(n - 1) === 46 ? n - 1 : n;
  return end > 0 && charsIn(end === n ? s : s.slice(0, end), 48, 57, 1, 13);
}

function isZero(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s[i] !== '0' && !(s[i] === '.' && i === s.length - 1)) return false;
  return true;
}

/** Root objects the VietQR rules read, found in one pass. */
interface Root {
  poi?: TlvNode;
  mcc?: TlvNode;
  currency?: TlvNode;
  amount?: TlvNode;
  tip?: TlvNode;
  fixedFee?: TlvNode;
  percentFee?: TlvNode;
  country?: TlvNode;
  name?: TlvNode;
  city?: TlvNode;
  additional?: TlvNode;
}

function collectRoot(objects: readonly TlvNode[]): Root {
  const root: Root = {};
  for (let i = objects.length - 1; i >= 0; i--) {
    // Backwards, so that with a repeated ID the first one wins.
    const node = objects[i];
    switch (node.id) {
      case '01':
        root.poi = node;
        break;
      case '52':
        root.mcc = node;
        break;
      case '53':
        root.currency = node;
        break;
      case '54':
        root.amount = node;
        break;
      case '55':
        root.tip = node;
        break;
      case '56':
        root.fixedFee = node;
        break;
      case '57':
        root.percentFee = node;
        break;
      case '58':
        root.country = node;
        break;
      case '59':
        root.name = node;
        break;
      case '60':
        root.city = node;
        break;
      case '62':
        root.additional = node;
        break;
    }
  }
  return root;
}

/**
 * Decodes any EMVCo payload and says whether it is a VietQR and a transfer QR. Never throws:
 * problems come back as errors (invalid) and warnings (accepted real-world quirks). Clean
 * ASCII VietQRs take a fast path; everything else is decoded by `decodeVietQrFull`.
 */
export function decodeVietQr(payload: string): VietQrDecodeResult {
  return (typeof payload === 'string' ? decodeCleanVietQr(payload, objectsOf) : null) ?? decodeVietQrFull(payload);
}

function objectsOf(payload: string): readonly TlvNode[] {
  return decodeVietQrFull(payload).objects;
}

/**
 * The reference decoder: the generic TLV tree, then the NAPAS rules, naming every error and
 * warning. Same result as `decodeVietQr`, always by this path (for diagnostics and tests).
 */
export function decodeVietQrFull(payload: string): VietQrDecodeResult {
  const parse = parseEmv(payload);
  const { log, objects, unit } = parse;
  const emvco = log.errors.length === 0;
  const root = collectRoot(objects);
  const additionalData = root.additional === undefined ? null : root.additional.children;
  const pointOfInitiation = root.poi === undefined ? null : root.poi.value;
  const rawAmount = root.amount === undefined ? null : root.amount.value;

  // The NAPAS template: a merchant account template (26–51, normally 38) with GUID A000000727.
  let napas: TlvNode | undefined;
  for (let i = 0; i < objects.length; i++) {
    const node = objects[i];
    if (node.children === null || !isMerchantAccountTemplate(node.id)) continue;
    const guid = findObject(node.children, '00');
    if (guid === undefined || (guid.value !== NAPAS_GUID && guid.value.toUpperCase() !== NAPAS_GUID)) continue;
    if (napas !== undefined) {
      log.warn(
        'NAPAS_TEMPLATE_REPEATED',
        `${where(node.tag, node.position)}: a second NAPAS template; only ${napas.tag} is read`,
        node.tag,
        node.position,
      );
      continue;
    }
    napas = node;
    if (guid.value !== NAPAS_GUID) {
      log.warn(
        'GUID_LOWERCASE',
        `${where(guid.tag, guid.position)}: GUID "${guid.value}" is not upper-case`,
        guid.tag,
        guid.position,
      );
    }
  }

  let bankBin: string | null = null;
  let account: string | null = null;
  let serviceCode: string | null = null;
  let service: TransferService | null = null;
  let bank: Bank | null = null;

  if (napas !== undefined && napas.children !== null) {
    if (napas.id !== '38') {
      log.warn(
        'NAPAS_TEMPLATE_NOT_38',
        `${where(napas.tag, napas.position)}: NAPAS GUID found in template ${napas.id}; VietQR uses 38`,
        napas.tag,
        napas.position,
      );
    }
    let beneficiary: TlvNode | undefined;
    let serviceNode: TlvNode | undefined;
    for (const child of napas.children) {
      if (child.id === '01') beneficiary ??= child;
      else if (child.id === '02') serviceNode ??= child;
      else if (child.id !== '00') {
        log.error(
          'NAPAS_UNEXPECTED_FIELD',
          `${where(child.tag, child.position)}: the NAPAS template holds only 00 (GUID), 01 (beneficiary) and 02 (service code)`,
          child.tag,
          child.position,
        );
      }
    }
    if (serviceNode !== undefined) {
      serviceCode = serviceNode.value;
      if (serviceCode === SERVICE_CODE_ACCOUNT) service = 'account';
      else if (serviceCode === SERVICE_CODE_CARD) service = 'card';
      else if (serviceCode.length > 10) {
        log.error(
          'SERVICE_CODE_INVALID',
          `${where(serviceNode.tag, serviceNode.position)}: service code "${serviceCode}" is longer than 10 characters`,
          serviceNode.tag,
          serviceNode.position,
        );
      } else if (!NON_TRANSFER_SERVICE_CODES.has(serviceCode)) {
        log.warn(
          'SERVICE_CODE_UNKNOWN',
          `${where(serviceNode.tag, serviceNode.position)}: unknown service code "${serviceCode}"; not read as a transfer`,
          serviceNode.tag,
          serviceNode.position,
        );
      }
    }

    const t = napas.tag;
    if (beneficiary === undefined) {
      log.error(
        'NAPAS_FIELD_MISSING',
        `${where(t, napas.position)}: beneficiary template ${t}/01 is missing`,
        t,
        napas.position,
      );
    } else if (decodeTemplate(beneficiary, unit, log, parse.source ?? undefined)) {
      const children = beneficiary.children ?? [];
      let binNode: TlvNode | undefined;
      let accountNode: TlvNode | undefined;
      for (const child of children) {
        if (child.id === '00') binNode ??= child;
        else if (child.id === '01') accountNode ??= child;
        else {
          log.error(
            'NAPAS_UNEXPECTED_FIELD',
            `${where(child.tag, child.position)}: the beneficiary template holds only 00 (BIN) and 01 (account or card)` +
              (child.id === '02' ? `; the service code belongs directly in ${t}` : ''),
            child.tag,
            child.position,
          );
        }
      }
      warnOrder(children, 0, children.length, beneficiary.tag, log);
      const b = beneficiary.tag;
      if (binNode === undefined) {
        log.error(
          'NAPAS_FIELD_MISSING',
          `${where(b, beneficiary.position)}: bank BIN ${b}/00 is missing`,
          b,
          beneficiary.position,
        );
      } else {
        bankBin = binNode.value;
        if (!charsIn(bankBin, 48, 57, 6, 6)) {
          log.error(
            'BIN_INVALID',
            `${where(binNode.tag, binNode.position)}: bank BIN "${bankBin}" is not 6 digits`,
            binNode.tag,
            binNode.position,
          );
        } else {
          bank = findBankByBin(bankBin) ?? null;
          if (bank === null) {
            log.warn(
              'BANK_UNKNOWN',
              `${where(binNode.tag, binNode.position)}: BIN ${bankBin} is not in the bank directory`,
              binNode.tag,
              binNode.position,
            );
          }
        }
      }
      if (accountNode === undefined) {
        log.error(
          'NAPAS_FIELD_MISSING',
          `${where(b, beneficiary.position)}: account or card number ${b}/01 is missing`,
          b,
          beneficiary.position,
        );
      } else {
        account = accountNode.value;
        const valid = service === 'card' ? charsIn(account, 48, 57, 1, 19) : charsIn(account, 0x21, 0x7e, 1, 19);
        if (!valid) {
          log.error(
            'ACCOUNT_INVALID',
            `${where(accountNode.tag, accountNode.position)}: ${service === 'card' ? 'card number must be up to 19 digits' : 'account must be 1–19 printable ASCII characters'}, got "${account}"`,
            accountNode.tag,
            accountNode.position,
          );
        }
      }
    }
  }

  if (napas === undefined) {
    if (objects.length > 0) {
      const templates = objects
        .filter((o) => isMerchantAccountTemplate(o.id))
        .map((o) => `${o.id} (GUID ${value(o.children, '00') ?? 'none'})`);
      log.error(
        'NOT_VIETQR',
        `no merchant account template (IDs 26–51) ${parse.complete ? '' : 'read before the error '}carries the NAPAS GUID ${NAPAS_GUID}` +
          (templates.length > 0 ? `; found ${templates.join(', ')}` : ''),
      );
    }
  } else if (parse.complete) {
    checkRoot(root, rawAmount, log);
  }

  const vietqr = emvco && napas !== undefined && log.errors.length === 0;
  const fields: VietQrFields = {
    initiation: pointOfInitiation === '11' ? 'static' : pointOfInitiation === '12' ? 'dynamic' : null,
    bankBin,
    bankShortName: bank === null ? null : bank.shortName,
    account,
    service,
    amount:
      rawAmount !== null && rawAmount.length > 1 && rawAmount.charCodeAt(rawAmount.length - 1) === 46
        ? rawAmount.slice(0, -1)
        : rawAmount,
    currency: root.currency === undefined ? null : root.currency.value,
    country: root.country === undefined ? null : root.country.value,
    purpose: value(additionalData, '08'),
    billNumber: value(additionalData, '01'),
    referenceLabel: value(additionalData, '05'),
    merchantName: root.name === undefined ? null : root.name.value,
    merchantCity: root.city === undefined ? null : root.city.value,
    mcc: root.mcc === undefined ? null : root.mcc.value,
  };
  return {
    crcValid: parse.crcValid,
    emvco,
    vietqr,
    transfer: vietqr && service !== null,
    errors: log.errors,
    warnings: log.warnings,
    fields,
    pointOfInitiation,
    napasTemplateId: napas === undefined ? null : napas.id,
    serviceCode,
    bank,
    lengthUnit: unit,
    objects,
  };
}

function checkRoot(root: Root, rawAmount: string | null, log: IssueLog): void {
  const { poi, currency, country, amount, tip, fixedFee, percentFee } = root;
  if (poi === undefined) {
    log.error('INITIATION_MISSING', 'point of initiation method 01 is missing (11 static or 12 dynamic)', '01');
  } else if (poi.value !== '11' && poi.value !== '12') {
    log.error(
      'INITIATION_INVALID',
      `${where('01', poi.position)}: point of initiation "${poi.value}" must be 11 (static) or 12 (dynamic)`,
      '01',
      poi.position,
    );
  }
  if (currency === undefined) {
    log.error('CURRENCY_MISSING', 'transaction currency 53 is missing (704 for VND)', '53');
  } else if (currency.value !== VND_NUMERIC) {
    log.error(
      'CURRENCY_NOT_VND',
      `${where('53', currency.position)}: currency "${currency.value}" is not 704 (VND)`,
      '53',
      currency.position,
    );
  }
  if (country === undefined) {
    log.error('COUNTRY_MISSING', 'country code 58 is missing (VN)', '58');
  } else if (country.value !== 'VN') {
    log.error(
      'COUNTRY_NOT_VN',
      `${where('58', country.position)}: country "${country.value}" is not VN`,
      '58',
      country.position,
    );
  }

  let hasAmount = false;
  if (amount !== undefined && rawAmount !== null) {
    if (!isAmount(rawAmount)) {
      log.error(
        'AMOUNT_INVALID',
        `${where('54', amount.position)}: amount "${rawAmount}" must be whole đồng: up to 13 digits, optionally followed by "."`,
        '54',
        amount.position,
      );
    } else if (isZero(rawAmount)) {
      log.warn(
        'AMOUNT_ZERO',
        `${where('54', amount.position)}: amount is zero; NAPAS requires a non-zero amount, apps treat it as absent`,
        '54',
        amount.position,
      );
    } else {
      hasAmount = true;
      if (Number(rawAmount.endsWith('.') ? rawAmount.slice(0, -1) : rawAmount) >= NAPAS_AMOUNT_LIMIT) {
        log.warn(
          'AMOUNT_ABOVE_NAPAS_LIMIT',
          `${where('54', amount.position)}: amount ${rawAmount} is not below NAPAS247's 500,000,000 đồng per transfer`,
          '54',
          amount.position,
        );
      }
    }
  }
  const poiValue = poi === undefined ? null : poi.value;
  if (poiValue === '11' && hasAmount) {
    log.warn(
      'INITIATION_AMOUNT_MISMATCH',
      'static QR (01 = 11) carries an amount; read as encoded',
      '01',
      poi?.position ?? null,
    );
  } else if (poiValue === '12' && !hasAmount) {
    log.warn(
      'INITIATION_AMOUNT_MISMATCH',
      'dynamic QR (01 = 12) carries no amount; read as encoded',
      '01',
      poi?.position ?? null,
    );
  }

  if (tip !== undefined && tip.value !== '01' && tip.value !== '02' && tip.value !== '03') {
    log.error(
      'TIP_INVALID',
      `${where('55', tip.position)}: tip indicator "${tip.value}" must be 01, 02 or 03`,
      '55',
      tip.position,
    );
  }
  if (fixedFee !== undefined && tip?.value !== '02') {
    log.error(
      'TIP_INVALID',
      `${where('56', fixedFee.position)}: a fixed fee needs tip indicator 55 = 02`,
      '56',
      fixedFee.position,
    );
  }
  if (percentFee !== undefined && tip?.value !== '03') {
    log.error(
      'TIP_INVALID',
      `${where('57', percentFee.position)}: a percentage fee needs tip indicator 55 = 03`,
      '57',
      percentFee.position,
    );
  }
  if (tip?.value === '02' && fixedFee === undefined) {
    log.error(
      'TIP_INVALID',
      `${where('55', tip.position)}: tip indicator 02 needs the fixed fee 56`,
      '55',
      tip.position,
    );
  }
  if (tip?.value === '03' && percentFee === undefined) {
    log.error(
      'TIP_INVALID',
      `${where('55', tip.position)}: tip indicator 03 needs the percentage fee 57`,
      '55',
      tip.position,
    );
  }
}

/** The object printed by `cashless vietqr decode`: exactly these keys, absent values null. */
export interface VietQrReport {
  readonly crcValid: boolean;
  readonly emvco: boolean;
  readonly vietqr: boolean;
  readonly transfer: boolean;
  readonly errors: { code: string; message: string }[];
  readonly warnings: { code: string; message: string }[];
  readonly fields: VietQrFields;
}

export function toVietQrReport(result: VietQrDecodeResult): VietQrReport {
  const f = result.fields;
  return {
    crcValid: result.crcValid,
    emvco: result.emvco,
    vietqr: result.vietqr,
    transfer: result.transfer,
    errors: result.errors.map((e) => ({ code: e.code, message: e.message })),
    warnings: result.warnings.map((w) => ({ code: w.code, message: w.message })),
    fields: {
      initiation: f.initiation,
      bankBin: f.bankBin,
      bankShortName: f.bankShortName,
      account: f.account,
      service: f.service,
      amount: f.amount,
      currency: f.currency,
      country: f.country,
      purpose: f.purpose,
      billNumber: f.billNumber,
      referenceLabel: f.referenceLabel,
      merchantName: f.merchantName,
      merchantCity: f.merchantCity,
      mcc: f.mcc,
    },
  };
}
