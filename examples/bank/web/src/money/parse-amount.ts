import { currencyDigits, currencySymbol } from './format-money.js';

// Written by hand on purpose: no well-kept library parses a typed amount strictly by locale. Number()
// and parseFloat() know only the point and go through floats; Intl.NumberFormat formats but does not
// parse; the parsing libraries that exist (numeral, globalize's parser, the "parse number by locale"
// snippets) either guess silently ("1,50" → 150 under en-US rules) or accept what they cannot read.
// Money needs the opposite: read what is unambiguous, refuse the rest and say why.

/** What the customer typed, read as an amount in minor units, or why it was refused. */
export type AmountReading =
  | { readonly kind: 'amount'; readonly minor: number }
  | { readonly kind: 'empty' }
  /** Not an amount: letters, signs, an exponent, a separator at an end or doubled, bad grouping. */
  | { readonly kind: 'invalid' }
  /**
   * One `.` or `,` followed by exactly three digits, where that mark is not the locale's group
   * separator: "1.500" in en-US could be 1,500 (grouped) or 1.5 (a decimal). `grouped` is the first
   * reading in minor units; `decimal` the second, when the currency can hold it.
   */
  | { readonly kind: 'ambiguous'; readonly grouped: number; readonly decimal: number | undefined }
  /** More decimals than the currency has (EUR: two). */
  | { readonly kind: 'too-precise'; readonly digits: number }
  | { readonly kind: 'zero' }
  /** More than `Number.MAX_SAFE_INTEGER` minor units. */
  | { readonly kind: 'too-large' };

/** Where and in which money an amount is typed. */
export interface AmountContext {
  /** BCP 47, e.g. `de-DE`: decides which mark groups thousands when only that can tell. */
  readonly locale: string;
  /** ISO 4217, e.g. `EUR`: its symbol may be typed, and it fixes the number of decimals. */
  readonly currency: string;
}

const SHAPE = /^\d+(?:[.,' ]\d+)*$/;

/** The locale's group separator, with every space-like character read as a space and every apostrophe as `'`. */
function groupSeparator(locale: string): string {
  const group = new Intl.NumberFormat(locale).formatToParts(1_234_567).find((p) => p.type === 'group');
  return normalize(group?.value ?? '');
}

function normalize(text: string): string {
  return text.replace(/[\s\u00a0\u202f\u2009]/g, ' ').replace(/[\u2019\u02bc]/g, "'");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Takes off the currency (symbol or code) at either end, and the spaces around the number. */
function bare(input: string, context: AmountContext): string {
  const marks = [currencySymbol(context.locale, context.currency), context.currency].map(escapeRegExp);
  const currency = `(?:${marks.join('|')})`;
  return normalize(input)
    .trim()
    .replace(new RegExp(`^${currency}\\s*|\\s*${currency}$`, 'i'), '')
    .trim();
}

/** Thousands groups: the first of one to three digits, not starting with 0, the others of three. */
function validGroups(groups: readonly string[]): boolean {
  const [first, ...rest] = groups;
  return first !== undefined && /^[1-9]\d{0,2}$/.test(first) && rest.every((g) => /^\d{3}$/.test(g));
}

/** Splits "1.234,5" into its digit groups and the marks between them. */
function split(text: string): { groups: string[]; marks: string[] } {
  return { groups: text.split(/[.,' ]/), marks: text.match(/[.,' ]/g) ?? [] };
}

/**
 * How to read the marks: the last group is the `fraction`, or every mark groups (`integer`), or the
 * marks cannot be read (`invalid`), or only the locale could tell and it does not (`ambiguous`).
 */
type Layout = 'integer' | 'fraction' | 'invalid' | 'ambiguous';

function layout(marks: readonly string[], groups: readonly string[], locale: string): Layout {
  const last = marks.at(-1);
  if (last === undefined) return 'integer';
  const kinds = new Set(marks);
  if (kinds.size > 2) return 'invalid';
  if (kinds.size === 2) {
    // Both marks used: the last is the decimal one, used once, and the other groups ("1.234,56", "1 234.56").
    const once = marks.indexOf(last) === marks.length - 1;
    return (last === '.' || last === ',') && once ? 'fraction' : 'invalid';
  }
  // One kind of mark. A space or an apostrophe only ever groups; a mark used twice can only group.
  if (last === ' ' || last === "'" || marks.length > 1) return 'integer';
  // One `.` or `,`: grouping needs exactly three digits after it, so anything else is a decimal.
  if (groups.at(-1)!.length !== 3) return 'fraction';
  // Three digits after it: the locale's reading when it is the locale's group separator, else ambiguous.
  return last === groupSeparator(locale) && validGroups(groups) ? 'integer' : 'ambiguous';
}

function minorUnits(integer: string, fraction: string, digits: number): AmountReading {
  if (fraction.length > digits) return { kind: 'too-precise', digits };
  const value = BigInt(integer + fraction.padEnd(digits, '0'));
  if (value === 0n) return { kind: 'zero' };
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) return { kind: 'too-large' };
  return { kind: 'amount', minor: Number(value) };
}

function ambiguity(groups: readonly string[], digits: number): AmountReading {
  const grouped = minorUnits(groups.join(''), '', digits);
  if (grouped.kind !== 'amount' || !validGroups(groups)) return { kind: 'too-precise', digits };
  // The decimal reading keeps only what the currency can hold: "1.500" is 1.50, "1.234" is no amount.
  const [integer, fraction] = [groups[0]!, groups[1]!];
  const kept = fraction.replace(/0+$/, '');
  const decimal = kept.length <= digits ? minorUnits(integer, kept, digits) : undefined;
  return {
    kind: 'ambiguous',
    grouped: grouped.minor,
    decimal: decimal?.kind === 'amount' ? decimal.minor : undefined,
  };
}

/**
 * Reads a typed amount by the customer's locale, without floating point, strictly:
 *
 * - a decimal comma or a decimal point, whatever the locale: "1,50" and "1.50" are both 1.50;
 * - thousands grouped by `.`, `,`, spaces or apostrophes, where that is the only reading: "1.234,56",
 *   "1,234.56", "1 234", "1,234,567"; and "1,500" is 1,500.00 in en-US, "1.500" in de-DE;
 * - refused with the reason: "1.500" in en-US, or "1,500" in de-DE and fr-FR (`ambiguous`), more
 *   decimals than the currency has, signs, exponents, letters, misplaced or doubled separators,
 *   zero; the currency's symbol or code may stand at either end.
 *
 * The locale only ever decides between reading and refusing, never between two amounts: an input
 * read in two locales is the same amount in both. Grouping in twos (en-IN "1,00,000") is refused.
 */
export function parseAmount(input: string, context: AmountContext): AmountReading {
  const text = bare(input, context);
  if (text === '') return { kind: 'empty' };
  if (!SHAPE.test(text)) return { kind: 'invalid' };
  const digits = currencyDigits(context.currency);
  const { groups, marks } = split(text);
  const read = layout(marks, groups, context.locale);
  if (read === 'invalid') return { kind: 'invalid' };
  if (read === 'ambiguous') return ambiguity(groups, digits);
  const whole = read === 'integer' ? groups : groups.slice(0, -1);
  if (whole.length > 1 && !validGroups(whole)) return { kind: 'invalid' };
  return minorUnits(whole.join(''), read === 'integer' ? '' : groups.at(-1)!, digits);
}
