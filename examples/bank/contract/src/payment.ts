import { z } from 'zod';

/** The RFC 9396 authorization details type of a transfer: `payment_initiation`. */
export const PAYMENT_INITIATION = 'payment_initiation';

/** A decimal amount in major units with exactly two decimals, as the approval carries it: `"1500.00"`. */
export const DecimalAmount = z
  .string()
  .regex(/^(0|[1-9]\d{0,14})\.\d{2}$/, 'a decimal string such as "1500.00"');

/**
 * One transfer as the customer approves it (RFC 9396 §2, after the `payment_initiation` examples of
 * RFC 9396 and the Open Banking APIs): the amount as a decimal string and its ISO 4217 currency, the
 * payee's name and account. Strict: the authorization server refuses any other member, so what it
 * shows the customer and binds the approval to is the whole detail, and the API builds the same shape
 * from its own data (see `paymentDetail`). Nothing is transformed: what it parses is what it returns.
 */
export const PaymentInitiation = z.strictObject({
  type: z.literal(PAYMENT_INITIATION),
  instructedAmount: z.strictObject({
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
    amount: DecimalAmount,
  }),
  /** As shown to the customer: no control characters, no leading or trailing space (nothing is trimmed). */
  creditorName: z
    .string()
    .max(70)
    .regex(/^[^\s\p{Cc}](?:[^\p{Cc}]*[^\s\p{Cc}])?$/u, 'a name without control characters or outer spaces'),
  /** The account the money goes to: an IBAN, or the bank's own account number, upper-case without spaces. */
  creditorAccount: z.strictObject({
    iban: z.string().regex(/^[A-Z0-9]{8,34}$/, 'upper-case letters and digits'),
  }),
});
/** One approved (or to-be-approved) transfer. */
export type PaymentInitiation = z.output<typeof PaymentInitiation>;

/** The `authorization_details` of one transfer: exactly one {@link PaymentInitiation}. */
export const PaymentApproval = z.tuple([PaymentInitiation]);

/** `"1500.00"` for 150000 minor units: exact integer arithmetic, never a float. */
export function decimalAmount(minor: number): string {
  if (!Number.isSafeInteger(minor) || minor < 0)
    throw new RangeError('minor units must be a non-negative integer');
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

/** 150000 for `"1500.00"` (the inverse of {@link decimalAmount}). */
export function minorUnits(amount: string): number {
  const parsed = DecimalAmount.parse(amount);
  const [whole = '0', cents = '00'] = parsed.split('.');
  return Number(whole) * 100 + Number(cents);
}

/**
 * The authorization details of a transfer of `amount` minor units in `currency` to `creditorName` at
 * `account` (spaces removed, upper-cased): what the API demands and the client asks the customer to approve.
 */
export function paymentDetail(input: {
  readonly amount: number;
  readonly currency: string;
  readonly creditorName: string;
  readonly account: string;
}): PaymentInitiation {
  return PaymentInitiation.parse({
    type: PAYMENT_INITIATION,
    instructedAmount: { currency: input.currency, amount: decimalAmount(input.amount) },
    creditorName: input.creditorName,
    creditorAccount: { iban: input.account.replace(/\s+/g, '').toUpperCase() },
  });
}
