// The amount field's parser: what each locale reads, what it refuses, and properties over generated
// inputs (fast-check): the locale's own formatting reads back exactly, a locale never turns one input
// into a different amount than another locale does, and three digits after a lone mark are refused
// unless that mark groups thousands in the customer's locale.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountProblem } from '../src/money/amount-problem.js';
import { decimalString, moneyFormat } from '../src/money/format-money.js';
import { type AmountReading, parseAmount } from '../src/money/parse-amount.js';

const LOCALES = ['de-DE', 'en-US', 'en-GB', 'fr-FR'] as const;
const read = (input: string, locale: string) => parseAmount(input, { locale, currency: 'EUR' });
const amount = (minor: number): AmountReading => ({ kind: 'amount', minor });
const NBSP = '\u00a0';
const NNBSP = '\u202f';

describe('parseAmount, locale by locale', () => {
  // [input, de-DE, en-US, en-GB, fr-FR]; a number is the amount in cents, a string the refusal.
  const table: [string, ...(number | AmountReading['kind'])[]][] = [
    ['1,50', 150, 150, 150, 150],
    ['1.50', 150, 150, 150, 150],
    ['1,5', 150, 150, 150, 150],
    ['50', 5_000, 5_000, 5_000, 5_000],
    ['0,07', 7, 7, 7, 7],
    ['1.500', 150_000, 'ambiguous', 'ambiguous', 'ambiguous'],
    ['1,500', 'ambiguous', 150_000, 150_000, 'ambiguous'],
    ['1.234', 123_400, 'ambiguous', 'ambiguous', 'ambiguous'],
    ['1 500', 150_000, 150_000, 150_000, 150_000],
    [`1${NNBSP}234,56`, 123_456, 123_456, 123_456, 123_456],
    [`1${NBSP}234,56`, 123_456, 123_456, 123_456, 123_456],
    ['1.234,56', 123_456, 123_456, 123_456, 123_456],
    ['1,234.56', 123_456, 123_456, 123_456, 123_456],
    ['1.234.567,89', 123_456_789, 123_456_789, 123_456_789, 123_456_789],
    ['1,234,567', 123_456_700, 123_456_700, 123_456_700, 123_456_700],
    ["1'500.25", 150_025, 150_025, 150_025, 150_025],
    ['€5', 500, 500, 500, 500],
    [`5${NBSP}€`, 500, 500, 500, 500],
    ['EUR 12,30', 1_230, 1_230, 1_230, 1_230],
    [' 12.5 ', 1_250, 1_250, 1_250, 1_250],
    ['1,5000', 'too-precise', 'too-precise', 'too-precise', 'too-precise'],
    ['0.500', 'too-precise', 'too-precise', 'too-precise', 'too-precise'],
    ['1,234.567', 'too-precise', 'too-precise', 'too-precise', 'too-precise'],
    ['', 'empty', 'empty', 'empty', 'empty'],
    [' € ', 'empty', 'empty', 'empty', 'empty'],
    ['0', 'zero', 'zero', 'zero', 'zero'],
    ['0,00', 'zero', 'zero', 'zero', 'zero'],
    ['-5', 'invalid', 'invalid', 'invalid', 'invalid'],
    ['+5', 'invalid', 'invalid', 'invalid', 'invalid'],
    ['1e5', 'invalid', 'invalid', 'invalid', 'invalid'],
    ['12.', 'invalid', 'invalid', 'invalid', 'invalid'],
    ['.5', 'invalid', 'invalid', 'invalid', 'invalid'],
    ['1,,5', 'invalid', 'invalid', 'invalid', 'invalid'],
    ['1.2.3', 'invalid', 'invalid', 'invalid', 'invalid'],
    ['1,234.56.7', 'invalid', 'invalid', 'invalid', 'invalid'],
    ['12,34,567', 'invalid', 'invalid', 'invalid', 'invalid'],
    ['1,00,000', 'invalid', 'invalid', 'invalid', 'invalid'],
    ['1.234 567', 'invalid', 'invalid', 'invalid', 'invalid'],
    ['abc', 'invalid', 'invalid', 'invalid', 'invalid'],
    ['１２', 'invalid', 'invalid', 'invalid', 'invalid'],
    ['99999999999999999', 'too-large', 'too-large', 'too-large', 'too-large'],
  ];
  for (const [input, ...expected] of table) {
    it(JSON.stringify(input), () => {
      const got = LOCALES.map((locale) => {
        const reading = read(input, locale);
        return reading.kind === 'amount' ? reading.minor : reading.kind;
      });
      expect(got).toEqual(expected);
    });
  }

  it('says what both readings of an ambiguous input are', () => {
    expect(read('1.500', 'en-US')).toEqual({ kind: 'ambiguous', grouped: 150_000, decimal: 150 });
    expect(read('1,500', 'de-DE')).toEqual({ kind: 'ambiguous', grouped: 150_000, decimal: 150 });
    expect(read('1.234', 'fr-FR')).toEqual({ kind: 'ambiguous', grouped: 123_400, decimal: undefined });
  });

  it('follows the currency’s number of decimals', () => {
    expect(parseAmount('1,500', { locale: 'en-US', currency: 'JPY' })).toEqual(amount(1_500));
    expect(parseAmount('1,5', { locale: 'en-US', currency: 'JPY' })).toEqual({
      kind: 'too-precise',
      digits: 0,
    });
    expect(parseAmount('¥1,500', { locale: 'en-US', currency: 'JPY' })).toEqual(amount(1_500));
  });
});

describe('the refusal, in words', () => {
  const context = { locale: 'en-US', currency: 'EUR' };
  it('names both readings of an ambiguous amount and how to type each', () => {
    const reading = read('1.500', 'en-US');
    expect(reading.kind).toBe('ambiguous');
    if (reading.kind === 'amount') return;
    expect(amountProblem(reading, '1.500', context)).toBe(
      '“1.500” could mean €1,500.00 or €1.50. Type 1500 for €1,500.00, or 1.50 for €1.50.',
    );
  });

  it('writes its examples in the customer’s locale', () => {
    expect(amountProblem({ kind: 'empty' }, '', { locale: 'de-DE', currency: 'EUR' })).toBe(
      'Enter an amount, like 50 or 1250,50.',
    );
    expect(amountProblem({ kind: 'too-precise', digits: 2 }, '1,234.567', context)).toBe(
      'Amounts have at most 2 decimals, like 1250.50.',
    );
  });
});

describe('moneyFormat', () => {
  it('formats in the locale, exactly, from minor units', () => {
    expect(moneyFormat('en-US')(260_940, 'EUR')).toBe('€2,609.40');
    expect(moneyFormat('en-GB')(260_940, 'EUR')).toBe('€2,609.40');
    expect(moneyFormat('de-DE')(260_940, 'EUR')).toBe(`2.609,40${NBSP}€`);
    expect(moneyFormat('fr-FR')(260_940, 'EUR')).toBe(`2${NNBSP}609,40${NBSP}€`);
    // Beyond what a float holds to the cent: no rounding.
    expect(moneyFormat('en-US')(Number.MAX_SAFE_INTEGER, 'EUR')).toBe('€90,071,992,547,409.91');
    expect(moneyFormat('en-US')(5, 'EUR')).toBe('€0.05');
  });

  it('signs a statement line when asked', () => {
    expect(moneyFormat('en-US')(500_000, 'EUR', { signed: true })).toBe('+€5,000.00');
    expect(moneyFormat('en-US')(-420, 'EUR', { signed: true })).toBe('-€4.20');
    expect(moneyFormat('en-US')(-420, 'EUR')).toBe('-€4.20');
  });
});

describe('parseAmount, properties', () => {
  const locale = fc.constantFrom(...LOCALES);
  const minor = fc.integer({ min: 1, max: 10 ** 13 });

  it('reads back every amount as the locale formats it, grouped or not, with or without the symbol', () => {
    fc.assert(
      fc.property(
        locale,
        minor,
        fc.boolean(),
        fc.constantFrom('currency', 'decimal'),
        fc.constantFrom(0, 2),
        (loc, cents, useGrouping, style, minimumFractionDigits) => {
          const text = new Intl.NumberFormat(loc, {
            style,
            currency: 'EUR',
            useGrouping,
            minimumFractionDigits,
            maximumFractionDigits: 2,
          }).format(decimalString(cents, 2));
          expect(read(text, loc)).toEqual(amount(cents));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('never reads one input as two different amounts in two locales', () => {
    const typed = fc
      .array(fc.constantFrom('0', '1', '2', '5', '9', '.', ',', ' ', "'"), { minLength: 1, maxLength: 12 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(typed, (input) => {
        const amounts = new Set(
          LOCALES.map((loc) => read(input, loc)).flatMap((r) => (r.kind === 'amount' ? [r.minor] : [])),
        );
        expect(amounts.size).toBeLessThanOrEqual(1);
      }),
      { numRuns: 1_500 },
    );
  });

  it('refuses three digits after a lone mark unless that mark groups thousands in the locale', () => {
    const groupOf: Record<(typeof LOCALES)[number], string> = {
      'de-DE': '.',
      'en-US': ',',
      'en-GB': ',',
      'fr-FR': ' ',
    };
    fc.assert(
      fc.property(
        locale,
        fc.integer({ min: 1, max: 999 }),
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom('.', ','),
        (loc, whole, tail, mark) => {
          const input = `${whole}${mark}${String(tail).padStart(3, '0')}`;
          const reading = read(input, loc);
          if (mark === groupOf[loc]) expect(reading).toEqual(amount((whole * 1000 + tail) * 100));
          else expect(reading.kind).toBe('ambiguous');
        },
      ),
    );
  });

  it('reads one or two digits after a lone mark as cents, in every locale', () => {
    fc.assert(
      fc.property(
        locale,
        fc.integer({ min: 0, max: 999_999 }),
        fc.constantFrom('.', ','),
        fc.constantFrom(1, 2),
        fc.integer({ min: 0, max: 99 }),
        (loc, whole, mark, width, fraction) => {
          const digits = String(fraction % 10 ** width).padStart(width, '0');
          const cents = whole * 100 + Number(digits.padEnd(2, '0'));
          const expected = cents === 0 ? { kind: 'zero' } : amount(cents);
          expect(read(`${whole}${mark}${digits}`, loc)).toEqual(expected);
        },
      ),
    );
  });

  it('never throws, and what it reads is a positive safe integer', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), locale, (input, loc) => {
        const reading = read(input, loc);
        if (reading.kind === 'amount') {
          expect(Number.isSafeInteger(reading.minor) && reading.minor > 0).toBe(true);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
