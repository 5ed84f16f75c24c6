import { currencyDigits, decimalString, moneyFormat } from './format-money.js';
import type { AmountContext, AmountReading } from './parse-amount.js';

/** A number as the customer could type it in their locale: `1500`, `1,50` (de-DE), `1.50` (en-US). */
function typed(minor: number, context: AmountContext, decimals: boolean): string {
  const digits = currencyDigits(context.currency);
  return new Intl.NumberFormat(context.locale, {
    useGrouping: false,
    minimumFractionDigits: decimals ? digits : 0,
    maximumFractionDigits: digits,
  }).format(decimalString(minor, digits));
}

/**
 * Why a typed amount was refused, in words for the customer, with what to type instead:
 * "“1.500” could mean €1,500.00 or €1.50. Type 1500 or 1.50 to say which."
 */
export function amountProblem(
  reading: Exclude<AmountReading, { kind: 'amount' }>,
  input: string,
  context: AmountContext,
): string {
  const money = moneyFormat(context.locale);
  const example = `${typed(5_000, context, false)} or ${typed(125_050, context, true)}`;
  switch (reading.kind) {
    case 'empty':
      return `Enter an amount, like ${example}.`;
    case 'invalid':
      return `“${input.trim()}” is not an amount. Type digits with at most one decimal separator, like ${example}.`;
    case 'zero':
      return 'Enter an amount above zero.';
    case 'too-large':
      return 'That amount is too large.';
    case 'too-precise':
      return reading.digits === 0
        ? `${context.currency} amounts have no decimals.`
        : `Amounts have at most ${reading.digits} decimals, like ${typed(125_050, context, true)}.`;
    case 'ambiguous': {
      const grouped = money(reading.grouped, context.currency);
      const as = `Type ${typed(reading.grouped, context, false)} for ${grouped}`;
      if (reading.decimal === undefined) return `“${input.trim()}” is not clear. ${as}.`;
      const decimal = money(reading.decimal, context.currency);
      return `“${input.trim()}” could mean ${grouped} or ${decimal}. ${as}, or ${typed(reading.decimal, context, true)} for ${decimal}.`;
    }
  }
}
