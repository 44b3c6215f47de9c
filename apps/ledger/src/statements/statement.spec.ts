import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { buildStatement, csvField, previousVietnamDate, statementCsv, vietnamDate, vietnamDay } from './statement';
import type { StatementChannel, StatementEntryInput } from './statement';

const merchantId = '0190a5c4-1111-7000-8000-000000000001';

function entry(overrides: Partial<StatementEntryInput>): StatementEntryInput {
  return {
    transactionId: '00000000-0000-8000-8000-000000000001',
    at: '2026-11-26T03:00:00.000Z',
    channel: 'dynamic_qr',
    side: 'credit',
    amount: 50_000,
    rule: 'payment_received',
    paymentId: null,
    paymentCode: null,
    orderRef: null,
    payerName: null,
    ...overrides,
  };
}

const day = {
  merchantId,
  date: '2026-11-26',
  from: new Date('2026-11-25T17:00:00Z'),
  to: new Date('2026-11-26T17:00:00Z'),
};

describe('vietnamDay', () => {
  const now = new Date('2026-11-26T10:00:00Z');

  it('is the day from midnight to midnight in Vietnam (UTC+7)', () => {
    expect(vietnamDay('2026-11-26', now)).toEqual({
      ok: true,
      from: new Date('2026-11-25T17:00:00.000Z'),
      to: new Date('2026-11-26T17:00:00.000Z'),
    });
  });

  it.each(['2026-02-30', '2026-13-01', '26-11-26', '2026-11-26T00:00', '', '2026-1-1'])('refuses %p', (d) => {
    expect(vietnamDay(d, now)).toEqual({ ok: false, reason: 'format' });
  });

  it('refuses a day that has not started in Vietnam yet, accepts one that has', () => {
    expect(vietnamDay('2026-11-27', now)).toEqual({ ok: false, reason: 'future' });
    // 17:30 UTC on the 26th is already the 27th in Vietnam.
    expect(vietnamDay('2026-11-27', new Date('2026-11-26T17:30:00Z')).ok).toBe(true);
  });

  it('names the Vietnamese day of an instant, and the day before it', () => {
    expect(vietnamDate(new Date('2026-11-26T16:59:59.999Z'))).toBe('2026-11-26');
    expect(vietnamDate(new Date('2026-11-26T17:00:00.000Z'))).toBe('2026-11-27');
    expect(previousVietnamDate(new Date('2026-11-26T17:00:00.000Z'))).toBe('2026-11-26');
  });
});

describe('buildStatement', () => {
  it('totals by channel, counts refunds as money paid back, and closes at opening + net', () => {
    const s = buildStatement({ ...day, openingBalance: 1_000 }, [
      entry({ transactionId: 'b', at: '2026-11-26T04:00:00.000Z', amount: 30_000, channel: 'static_qr' }),
      entry({ transactionId: 'a', amount: 50_000 }),
      entry({ transactionId: 'c', at: '2026-11-26T05:00:00.000Z', amount: 20_000 }),
      entry({ transactionId: 'd', at: '2026-11-26T06:00:00.000Z', amount: 5_000, channel: 'refunds', side: 'debit' }),
    ]);
    expect(s.totals).toEqual({
      dynamic_qr: { count: 2, value: 70_000 },
      static_qr: { count: 1, value: 30_000 },
      refunds: { count: 1, value: 5_000 },
    });
    expect(s.net).toBe(95_000);
    expect(s.closingBalance).toBe(96_000);
    expect(s.entries.map((e) => [e.transactionId, e.amount])).toEqual([
      ['a', 50_000],
      ['b', 30_000],
      ['c', 20_000],
      ['d', -5_000],
    ]);
    expect(s.timeZone).toBe('Asia/Ho_Chi_Minh');
  });

  it('is zeros for a day without activity', () => {
    const s = buildStatement({ ...day, openingBalance: 7 }, []);
    expect(s).toMatchObject({ net: 0, openingBalance: 7, closingBalance: 7, entries: [] });
    expect(Object.values(s.totals)).toEqual([
      { count: 0, value: 0 },
      { count: 0, value: 0 },
      { count: 0, value: 0 },
    ]);
  });

  it('property: net = QR takings − refunds = Σ signed entries, whatever the order', () => {
    const channel = fc.constantFrom<StatementChannel>('dynamic_qr', 'static_qr', 'refunds');
    const arbitraryEntry = fc.record({
      channel,
      amount: fc.integer({ min: 1, max: 499_999_999 }),
      reversed: fc.boolean(),
      minute: fc.integer({ min: 0, max: 1439 }),
    });
    fc.assert(
      fc.property(fc.array(arbitraryEntry, { maxLength: 40 }), fc.integer({ min: 0, max: 1e9 }), (items, opening) => {
        const inputs = items.map((it, i) => {
          const normal = it.channel === 'refunds' ? 'debit' : 'credit';
          const opposite = normal === 'debit' ? 'credit' : 'debit';
          return entry({
            transactionId: String(i).padStart(4, '0'),
            at: new Date(day.from.getTime() + it.minute * 60_000).toISOString(),
            channel: it.channel,
            side: it.reversed ? opposite : normal,
            amount: it.amount,
          });
        });
        const s = buildStatement({ ...day, openingBalance: opening }, inputs);
        const sum = inputs.reduce((acc, e) => acc + (e.side === 'credit' ? e.amount : -e.amount), 0);
        expect(s.net).toBe(sum);
        expect(s.net).toBe(s.totals.dynamic_qr.value + s.totals.static_qr.value - s.totals.refunds.value);
        expect(s.closingBalance - s.openingBalance).toBe(s.net);
        expect(s.totals.dynamic_qr.count + s.totals.static_qr.count + s.totals.refunds.count).toBe(inputs.length);
        expect([...s.entries].map((e) => e.at)).toEqual(s.entries.map((e) => e.at).sort());
      }),
    );
  });
});

describe('CSV', () => {
  it('quotes separators, quotes and line breaks, and defuses formulas', () => {
    expect(csvField('Phở Hà Nội')).toBe('Phở Hà Nội');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "xin chào"')).toBe('"say ""xin chào"""');
    expect(csvField('dòng 1\ndòng 2')).toBe('"dòng 1\ndòng 2"');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('-5')).toBe('"\'-5"');
    expect(csvField(-5_000)).toBe('-5000');
    expect(csvField(null)).toBe('');
  });

  it('property: every field reads back as what was written (RFC 4180 quoting)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const out = csvField(text);
        const unquoted = out.startsWith('"') ? out.slice(1, -1).replace(/""/g, '"') : out;
        expect(unquoted).toBe(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
        if (!out.startsWith('"')) expect(out).not.toMatch(/[",\r\n]/);
      }),
    );
  });

  it('is UTF-8 with a BOM, CRLF, bilingual labels, a header row and Vietnamese local times', () => {
    const s = buildStatement({ ...day, openingBalance: 0 }, [
      entry({ payerName: 'NGUYỄN VĂN A', paymentCode: 'CS123', orderRef: 'Bàn 4, tầng 2', paymentId: 'p-1' }),
      entry({ transactionId: 'r', at: '2026-11-26T09:00:00.000Z', channel: 'refunds', side: 'debit', amount: 1_000 }),
    ]);
    const csv = statementCsv(s);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('Sao kê ngày / Daily statement,2026-11-26');
    expect(lines).toContain('QR động / Dynamic QR,1 giao dịch / transactions,50000');
    expect(lines).toContain('Hoàn tiền / Refunds,1 giao dịch / transactions,1000');
    expect(lines).toContain('Số dư cuối ngày / Closing balance (VND),49000');
    const header = lines.findIndex((l) => l.startsWith('Thời gian / Time,'));
    expect(lines[header + 1]).toBe(
      '2026-11-26 10:00:00,QR động / Dynamic QR,50000,CS123,"Bàn 4, tầng 2",NGUYỄN VĂN A,00000000-0000-8000-8000-000000000001,p-1',
    );
    expect(lines[header + 2]).toBe('2026-11-26 16:00:00,Hoàn tiền / Refunds,-1000,,,,r,');
    expect(lines[lines.length - 1]).toBe('');
  });
});
