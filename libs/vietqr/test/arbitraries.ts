import fc from 'fast-check';
import { BANKS, type VietQrInput } from '../src';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

const chars = (alphabet: string) => fc.constantFrom(...alphabet.split(''));

export const binArb = fc.constantFrom(...BANKS.map((b) => b.bin));
export const accountArb = fc.string({ unit: chars(ALNUM), minLength: 1, maxLength: 19 });
export const cardArb = fc.string({ unit: chars('0123456789'), minLength: 8, maxLength: 19 });
export const amountArb = fc.integer({ min: 1, max: 499_999_999 });
export const paymentCodeArb = fc.string({ unit: chars(UPPER_ALNUM), minLength: 1, maxLength: 19 });

/** Text already in the form the builder writes: ASCII words, single spaces, within `max`. */
export const canonicalTextArb = (max: number) =>
  fc
    .array(fc.string({ unit: chars(ALNUM), minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 6 })
    .map((words) => words.join(' '))
    .filter((text) => text.length <= max);

export const identifierArb = fc.string({ unit: chars(`${ALNUM}._-/`), minLength: 1, maxLength: 25 });

/** Any text a shop owner might type: Vietnamese letters with diacritics, đ/Đ, punctuation, spaces. */
export const vietnameseTextArb = fc.string({
  unit: chars(
    'aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXYáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ0123456789 ,.-!?/&',
  ),
  maxLength: 60,
});

/** Valid builder input whose texts are canonical, so any other encoder given it must agree byte for byte. */
export const canonicalInputArb: fc.Arbitrary<VietQrInput> = fc
  .record({
    card: fc.boolean(),
    amount: fc.option(amountArb, { nil: undefined }),
    forceInitiation: fc.boolean(),
  })
  .chain(({ card, amount, forceInitiation }) =>
    fc.record(
      {
        bankBin: binArb,
        account: card ? cardArb : accountArb,
        service: fc.constant(card ? ('card' as const) : ('account' as const)),
        amount: fc.constant(amount),
        initiation: forceInitiation
          ? fc.constant(amount === undefined ? ('static' as const) : ('dynamic' as const))
          : amount === undefined
            ? fc.constantFrom('static' as const, 'dynamic' as const)
            : fc.constant('dynamic' as const),
        paymentCode: paymentCodeArb,
        purpose: canonicalTextArb(25),
        billNumber: identifierArb,
        referenceLabel: identifierArb,
        merchantName: canonicalTextArb(25),
        merchantCity: canonicalTextArb(15),
        mcc: fc.string({ unit: chars('0123456789'), minLength: 4, maxLength: 4 }),
      },
      { requiredKeys: ['bankBin', 'account', 'service'] },
    ),
  )
  // Drop keys whose value is undefined, so that "absent" is what both encoders see.
  .map(
    (input) => Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as unknown as VietQrInput,
  );
