const formatters = new Map<string, Intl.NumberFormat>();

/** `260940, 'EUR'` → `€2,609.40`. Amounts are integer minor units everywhere. */
export function formatMoney(minor: number, currency: string, options: { signed?: boolean } = {}): string {
  let formatter = formatters.get(currency);
  if (formatter === undefined) {
    formatter = new Intl.NumberFormat('en-IE', { style: 'currency', currency });
    formatters.set(currency, formatter);
  }
  const text = formatter.format(Math.abs(minor) / 100);
  if (minor < 0) return `−${text}`;
  return options.signed && minor > 0 ? `+${text}` : text;
}

/**
 * What the customer typed → minor units, without floating point: `5,000` → 500000, `12.5` → 1250.
 * Returns `undefined` for anything else (negative, more than two decimals, letters, zero).
 */
export function parseAmount(input: string): number | undefined {
  const text = input.replace(/[\s,€]/g, '');
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text);
  if (match === null) return undefined;
  const minor = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return minor > 0 ? minor : undefined;
}
