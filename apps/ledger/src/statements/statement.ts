/**
 * A merchant's daily statement: pure maths over the entries of the merchant's accounts, and its
 * CSV rendering. No Nest or database imports; the service feeds it rows.
 */

/** Statements, reconciliation and "today" use the city's day; Vietnam keeps UTC+7 all year (no DST). */
export const STATEMENT_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const VIETNAM_OFFSET = '+07:00';

export type StatementChannel = 'dynamic_qr' | 'static_qr' | 'refunds';
export const STATEMENT_CHANNELS: readonly StatementChannel[] = ['dynamic_qr', 'static_qr', 'refunds'];

/** One entry on a merchant account, as the journal holds it. */
export interface StatementEntryInput {
  transactionId: string;
  /** Effective time (ISO instant): when the money moved. */
  at: string;
  channel: StatementChannel;
  side: 'debit' | 'credit';
  /** Whole đồng, > 0. */
  amount: number;
  rule: string;
  paymentId: string | null;
  paymentCode: string | null;
  orderRef: string | null;
  payerName: string | null;
}

export interface StatementEntry extends Omit<StatementEntryInput, 'side' | 'amount'> {
  /** Signed effect on the merchant's net takings: + money received, − money paid back. */
  amount: number;
}

export interface ChannelTotal {
  count: number;
  /** Money received (QR channels) or paid back (refunds), in đồng, ≥ 0 unless reversed. */
  value: number;
}

export interface Statement {
  merchantId: string;
  date: string;
  timeZone: string;
  from: string;
  to: string;
  openingBalance: number;
  closingBalance: number;
  /** dynamic QR + static QR − refunds = closing − opening. */
  net: number;
  totals: Record<StatementChannel, ChannelTotal>;
  entries: StatementEntry[];
}

/** Why a `date` parameter was refused, or the day's bounds [from, to) as instants. */
export type DayParse = { ok: true; from: Date; to: Date } | { ok: false; reason: 'format' | 'future' };

/**
 * Parses `YYYY-MM-DD` as a calendar day in Vietnam. A day that has not started yet in Vietnam
 * (at `now`) is refused: its statement would be a promise, not a record.
 */
export function vietnamDay(date: string, now: Date = new Date()): DayParse {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return { ok: false, reason: 'format' };
  const from = new Date(`${date}T00:00:00.000${VIETNAM_OFFSET}`);
  // Date accepts 2026-02-30 by rolling over; a real calendar day reads back unchanged.
  if (Number.isNaN(from.getTime()) || vietnamDate(from) !== date) return { ok: false, reason: 'format' };
  if (from.getTime() > now.getTime()) return { ok: false, reason: 'future' };
  return { ok: true, from, to: new Date(from.getTime() + 24 * 3_600_000) };
}

/** The calendar day in Vietnam of an instant, `YYYY-MM-DD`. */
export function vietnamDate(at: Date): string {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

/** The day before `at`'s day in Vietnam (what the daily job reconciles). */
export function previousVietnamDate(at: Date): string {
  return vietnamDate(new Date(at.getTime() - 24 * 3_600_000));
}

/** The entry's effect on net takings: takings are credit-normal, refunds debit-normal. */
function signed(entry: Pick<StatementEntryInput, 'side' | 'amount'>): number {
  return entry.side === 'credit' ? entry.amount : -entry.amount;
}

/**
 * Totals by channel, net and closing balance from the opening balance and the day's entries
 * (in time order). A refund counts +value on the refunds channel and −value in `net`; a reversal
 * of a receipt lowers its channel's value.
 */
export function buildStatement(
  header: { merchantId: string; date: string; from: Date; to: Date; openingBalance: number },
  inputs: StatementEntryInput[],
): Statement {
  const totals = Object.fromEntries(STATEMENT_CHANNELS.map((c) => [c, { count: 0, value: 0 }])) as Record<
    StatementChannel,
    ChannelTotal
  >;
  let net = 0;
  const entries = [...inputs]
    .sort((a, b) => (a.at === b.at ? (a.transactionId < b.transactionId ? -1 : 1) : a.at < b.at ? -1 : 1))
    .map(({ side, amount, ...rest }): StatementEntry => {
      const effect = signed({ side, amount });
      const total = totals[rest.channel];
      total.count += 1;
      total.value += rest.channel === 'refunds' ? -effect : effect;
      net += effect;
      return { ...rest, amount: effect };
    });
  return {
    merchantId: header.merchantId,
    date: header.date,
    timeZone: STATEMENT_TIME_ZONE,
    from: header.from.toISOString(),
    to: header.to.toISOString(),
    openingBalance: header.openingBalance,
    closingBalance: header.openingBalance + net,
    net,
    totals,
    entries,
  };
}

const CHANNEL_LABEL: Record<StatementChannel, string> = {
  dynamic_qr: 'QR động / Dynamic QR',
  static_qr: 'QR tĩnh / Static QR',
  refunds: 'Hoàn tiền / Refunds',
};

/**
 * One CSV field: quoted when it holds a separator, quote or line break; a text starting with a
 * formula character (`= + - @`, tab, CR) gets a leading apostrophe so a spreadsheet shows it
 * instead of running it. Numbers are written as they are (a negative amount stays a number).
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Local wall-clock time in Vietnam, `YYYY-MM-DD HH:mm:ss`, which spreadsheets read as a date. */
function vietnamTime(iso: string): string {
  return new Date(new Date(iso).getTime() + 7 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The statement as CSV for Vietnamese spreadsheets: UTF-8 with a byte-order mark (so Excel shows
 * "Nguyễn", not mojibake), CRLF line ends, bilingual labels; a summary block, a blank line, then
 * the entries with a header row.
 */
export function statementCsv(statement: Statement): string {
  const rows: (string | number | null)[][] = [
    ['Sao kê ngày / Daily statement', statement.date],
    ['Cửa hàng / Merchant', statement.merchantId],
    ['Múi giờ / Time zone', statement.timeZone],
    ['Số dư đầu ngày / Opening balance (VND)', statement.openingBalance],
    ...STATEMENT_CHANNELS.map((c) => [
      CHANNEL_LABEL[c],
      `${statement.totals[c].count} giao dịch / transactions`,
      statement.totals[c].value,
    ]),
    ['Thu thuần / Net (VND)', statement.net],
    ['Số dư cuối ngày / Closing balance (VND)', statement.closingBalance],
    [],
    [
      'Thời gian / Time',
      'Kênh / Channel',
      'Số tiền / Amount (VND)',
      'Mã thanh toán / Payment code',
      'Mã đơn / Order ref',
      'Người trả / Payer',
      'Mã giao dịch / Transaction id',
      'Mã thanh toán hệ thống / Payment id',
    ],
    ...statement.entries.map((e) => [
      vietnamTime(e.at),
      CHANNEL_LABEL[e.channel],
      e.amount,
      e.paymentCode,
      e.orderRef,
      e.payerName,
      e.transactionId,
      e.paymentId,
    ]),
  ];
  return `\uFEFF${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}
