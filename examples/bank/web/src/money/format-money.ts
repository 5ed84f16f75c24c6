/** Formats integer minor units of a currency for the customer's locale. */
export type MoneyFormat = (minor: number, currency: string, options?: { signed?: boolean }) => string;

/** How many minor-unit digits a currency has (ISO 4217, as the browser's CLDR data says): EUR 2, JPY 0. */
export function currencyDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/**
 * `260940` → `"2609.40"`: minor units as an exact decimal string. Intl.NumberFormat formats such a
 * string exactly (ECMA-402 "Intl.NumberFormat v3"), so no amount ever passes through a float.
 * @throws RangeError when `minor` is not a safe integer.
 */
export function decimalString(minor: number, digits: number): `${number}` {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`not an amount in minor units: ${minor}`);
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  if (digits === 0) return `${sign}${text}` as `${number}`;
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}` as `${number}`;
}

/**
 * The money formatter of a locale, e.g. `moneyFormat('de-DE')(260940, 'EUR')` → `"2.609,40 €"`,
 * `moneyFormat('en-US')(-420, 'EUR', { signed: true })` → `"-€4.20"`. Amounts are integer minor units
 * everywhere; the display is Intl.NumberFormat's, with the currency's own number of decimals.
 */
export function moneyFormat(locale: string): MoneyFormat {
  return (minor, currency, options = {}) =>
    new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      signDisplay: options.signed ? 'exceptZero' : 'auto',
    }).format(decimalString(minor, currencyDigits(currency)));
}

/** The currency's symbol as the locale writes it: `€` for EUR in en-US and de-DE. */
export function currencySymbol(locale: string, currency: string): string {
  const parts = new Intl.NumberFormat(locale, { style: 'currency', currency }).formatToParts(0);
  return parts.find((p) => p.type === 'currency')?.value ?? currency;
}

/** Whether the locale writes the currency after the amount (`5,00 €` in de-DE) rather than before (`€5.00`). */
export function currencyAfterAmount(locale: string, currency: string): boolean {
  const types = new Intl.NumberFormat(locale, { style: 'currency', currency })
    .formatToParts(5)
    .map((p) => p.type);
  return types.indexOf('currency') > types.indexOf('integer');
}
