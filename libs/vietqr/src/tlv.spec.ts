import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { crc16Hex } from './crc16';
import { decodeEmv, encodeEmv, encodeTlv, findObject, MAX_PAYLOAD_LENGTH, TlvEncodeError, type TlvNode } from './tlv';

/** Appends "6304" and the right CRC, so a test can focus on one structural defect. */
function withCrc(body: string): string {
  return `${body}6304${crc16Hex(`${body}6304`)}`;
}

const codes = (issues: readonly { code: string }[]): string[] => issues.map((i) => i.code);

describe('TLV encoding', () => {
  it('writes ID, two-digit length and value, nesting templates', () => {
    expect(encodeTlv([{ id: '00', value: '01' }])).toBe('000201');
    expect(
      encodeTlv([
        {
          id: '38',
          value: [
            { id: '00', value: 'A000000727' },
            { id: '02', value: 'QRIBFTTA' },
          ],
        },
      ]),
    ).toBe('38260010A0000007270208QRIBFTTA');
  });

  it('rejects values that are empty or longer than 99 characters, naming the tag', () => {
    expect(() => encodeTlv([{ id: '62', value: [{ id: '08', value: 'x'.repeat(100) }] }])).toThrow(
      /tag 62\/08: value has 100 characters/,
    );
    expect(() => encodeTlv([{ id: '59', value: '' }])).toThrow(TlvEncodeError);
    expect(() => encodeTlv([{ id: '62', value: [{ id: '08', value: 'x'.repeat(96) }] }])).toThrow(
      /tag 62: value has 100/,
    );
    expect(encodeTlv([{ id: '59', value: 'x'.repeat(99) }])).toHaveLength(103);
  });

  it('rejects bad and repeated IDs', () => {
    expect(() => encodeTlv([{ id: '5', value: 'x' }])).toThrow(/two digits/);
    expect(() =>
      encodeTlv([
        { id: '59', value: 'a' },
        { id: '59', value: 'b' },
      ]),
    ).toThrow(/appears twice/);
  });

  it('counts characters, not UTF-16 code units or bytes', () => {
    expect(encodeTlv([{ id: '64', value: 'Phở 😀' }])).toBe('6405Phở 😀');
  });

  it('encodes a payload with the CRC over everything including "6304"', () => {
    const payload = encodeEmv([
      { id: '00', value: '01' },
      { id: '01', value: '11' },
    ]);
    expect(payload).toBe(`0002010102116304${crc16Hex('0002010102116304')}`);
    expect(() => encodeEmv([{ id: '01', value: '11' }])).toThrow(/00 must come first/);
    expect(() =>
      encodeEmv([
        { id: '00', value: '01' },
        ...Array.from({ length: 6 }, (_, i) => ({ id: `8${i}`, value: 'x'.repeat(99) })),
      ]),
    ).toThrow(/at most 512/);
  });
});

describe('TLV decoding', () => {
  it('decodes nested templates with absolute positions and tag paths', () => {
    const payload = withCrc('000201010212' + '38260010A0000007270208QRIBFTTA' + '62150811Chuyen tien');
    const result = decodeEmv(payload);
    expect(result.emvco).toBe(true);
    const napas = findObject(result.objects, '38') as TlvNode;
    expect(napas.position).toBe(12);
    expect(napas.children?.map((c) => [c.tag, c.position, c.value])).toEqual([
      ['38/00', 16, 'A000000727'],
      ['38/02', 30, 'QRIBFTTA'],
    ]);
    expect(findObject(findObject(result.objects, '62')?.children ?? null, '08')?.value).toBe('Chuyen tien');
  });

  it.each([
    ['length overrun at the root', '000201' + '38400010A0000007270208QRIBFTTA', 'TLV_OVERRUN', '38'],
    ['overrun inside a template', '000201' + '38260010A0000007270209QRIBFTTA', 'TLV_OVERRUN', '38/02'],
    ['zero length', '000201' + '5900', 'TLV_ZERO_LENGTH', '59'],
    ['non-digit length', '000201' + '59A1x', 'TLV_BAD_LENGTH', '59'],
    ['non-digit ID', '000201' + 'X901x', 'TLV_BAD_ID', null],
    ['trailing bytes in a template', '000201' + '6206080101x', 'TLV_TRUNCATED', '62'],
    ['duplicate root tag', '000201' + '5303704' + '5303704', 'TLV_DUPLICATE_TAG', '53'],
    ['duplicate tag in a template', '000201' + '62100801a0801b', 'TLV_DUPLICATE_TAG', '62/08'],
  ])('rejects %s, naming the tag and position', (_name, body, code, tag) => {
    const result = decodeEmv(withCrc(body));
    expect(result.emvco).toBe(false);
    expect(result.crc.valid).toBe(true);
    const error = result.errors.find((e) => e.code === code);
    expect(error).toBeDefined();
    expect(error?.tag).toBe(tag);
    expect(error?.message).toMatch(/position \d+/);
  });

  it('reports the exact position of an overrun', () => {
    const result = decodeEmv(withCrc('000201' + '38260010A0000007270209QRIBFTTA'));
    expect(result.errors[0]).toMatchObject({ code: 'TLV_OVERRUN', tag: '38/02', position: 24 });
    expect(result.errors[0].message).toBe(
      'tag 38/02 at position 24: length 9 overruns the template 38 by 1 (only 8 left)',
    );
  });

  it('requires the payload format indicator 00 = 01 first', () => {
    expect(codes(decodeEmv(withCrc('010211000201')).errors)).toContain('FORMAT_INDICATOR_NOT_FIRST');
    expect(codes(decodeEmv(withCrc('000202')).errors)).toContain('FORMAT_INDICATOR_INVALID');
  });

  it('requires the CRC object last, as its own object', () => {
    expect(codes(decodeEmv('000201010211').errors)).toEqual(['CRC_MISSING']);
    // Ends in "6304" + a correct CRC, but 62 swallows them: the CRC is not an object of its own.
    const body = '000201' + '6216' + '0804abcd' + '6304';
    const swallowed = decodeEmv(body + crc16Hex(body));
    expect(swallowed.crc.valid).toBe(true);
    expect(swallowed.errors).toEqual([expect.objectContaining({ code: 'CRC_NOT_LAST', tag: '62', position: 6 })]);
    // A CRC object in the middle.
    const middle = withCrc('0002016304ABCD5303704');
    expect(codes(decodeEmv(middle).errors)).toContain('CRC_NOT_LAST');
  });

  it('compares the CRC case-insensitively and warns about lower case', () => {
    const upper = withCrc('0002010102115303704');
    const lower = upper.slice(0, -4) + upper.slice(-4).toLowerCase();
    expect(upper.slice(-4)).not.toBe(lower.slice(-4));
    const result = decodeEmv(lower);
    expect(result.crc.valid).toBe(true);
    expect(result.emvco).toBe(true);
    expect(codes(result.warnings)).toEqual(['CRC_LOWERCASE']);
  });

  it('rejects a flipped CRC digit', () => {
    const good = withCrc('0002010102115303704');
    const last = good.at(-1) as string;
    const bad = good.slice(0, -1) + (last === '0' ? '1' : '0');
    expect(decodeEmv(bad).errors.map((e) => e.code)).toEqual(['CRC_MISMATCH']);
  });

  it('accepts 512 characters and rejects 513', () => {
    const pad = (n: number) => {
      // 00 + 0102 + filler objects + CRC, exactly n characters long.
      let body = '000201';
      let id = 80;
      while (n - 8 - body.length > 103) body += `${id++}99${'x'.repeat(99)}`;
      const rest = n - 8 - body.length;
      body += `${id}${String(rest - 4).padStart(2, '0')}${'y'.repeat(rest - 4)}`;
      return withCrc(body);
    };
    expect(pad(MAX_PAYLOAD_LENGTH)).toHaveLength(512);
    expect(decodeEmv(pad(512)).errors).toEqual([]);
    const tooLong = decodeEmv(pad(513));
    expect(codes(tooLong.errors)).toEqual(['PAYLOAD_TOO_LONG']);
    expect(tooLong.objects).toEqual([]);
  });

  it('keeps a non-TLV unreserved template (MoMo "80 03 046") as raw text with a warning', () => {
    const result = decodeEmv(withCrc('000201' + '5303704' + '8003046'));
    expect(result.emvco).toBe(true);
    expect(findObject(result.objects, '80')?.value).toBe('046');
    expect(codes(result.warnings)).toEqual(['TEMPLATE_NOT_TLV']);
  });

  it('reads lengths in UTF-8 bytes only as a fallback, with a warning', () => {
    expect(new TextEncoder().encode('Phở 😀')).toHaveLength(10);
    const chars = decodeEmv(withCrc('000201' + '6505Phở 😀'));
    expect(chars.lengthUnit).toBe('characters');
    expect(chars.emvco).toBe(true);
    expect(chars.warnings).toEqual([]);
    const bytes = decodeEmv(withCrc('000201' + '6510Phở 😀'));
    expect(bytes.lengthUnit).toBe('utf8-bytes');
    expect(bytes.emvco).toBe(true);
    expect(codes(bytes.warnings)).toContain('LENGTH_IN_UTF8_BYTES');
    expect(findObject(bytes.objects, '65')?.value).toBe('Phở 😀');
  });

  it('warns (does not fail) when root objects are out of ascending order', () => {
    const result = decodeEmv(withCrc('000201' + '5802VN' + '5303704'));
    expect(result.emvco).toBe(true);
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'FIELDS_OUT_OF_ORDER', tag: '53', position: 12 }),
    ]);
  });

  it('warns about over-long and non-ASCII text in ANS fields', () => {
    const result = decodeEmv(withCrc('000201' + `5926${'N'.repeat(26)}` + '6016Thanh pho Ho CMT' + '62100806Phở bò'));
    expect(result.emvco).toBe(true);
    expect(result.warnings.map((w) => [w.code, w.tag])).toEqual([
      ['FIELD_TOO_LONG', '59'],
      ['FIELD_TOO_LONG', '60'],
      ['NON_ASCII_TEXT', '62/08'],
    ]);
  });

  it('removes surrounding whitespace, with a warning', () => {
    const result = decodeEmv(`  ${withCrc('0002010102115303704')}\n`);
    expect(result.emvco).toBe(true);
    expect(codes(result.warnings)).toEqual(['PAYLOAD_TRIMMED']);
  });

  it('never throws, and round-trips any TLV list it encoded', () => {
    const value = fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme-ascii' });
    const list = fc.uniqueArray(fc.record({ id: fc.integer({ min: 65, max: 79 }).map(String), value }), {
      selector: (o) => o.id,
      maxLength: 8,
    });
    fc.assert(
      fc.property(list, (objects) => {
        const payload = encodeEmv([{ id: '00', value: '01' }, ...objects]);
        const result = decodeEmv(payload);
        expect(result.emvco).toBe(true);
        expect(result.objects.slice(1, -1).map((o) => ({ id: o.id, value: o.value }))).toEqual(objects);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), (text) => {
        const result = decodeEmv(text);
        expect(typeof result.emvco).toBe('boolean');
        if (result.emvco) expect(result.crc.valid).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
