import { z } from 'zod';

// What the API answers. Strict: a field the API adds or renames fails the clients' tests (the web
// client's suite runs against the real API) instead of drifting silently.

/** Minor units, signed where the field says so. */
const Minor = z.number().int().safe();
/** An ISO 8601 instant with milliseconds, as `Date.prototype.toISOString()` writes it. */
const Instant = z.iso.datetime({ offset: false, precision: 3 });

/** An account; `balance` in minor units. */
export const Account = z.strictObject({
  id: z.string(),
  name: z.string(),
  number: z.string(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  balance: Minor,
});
export type Account = z.output<typeof Account>;

/** One line of an account's history: `amount` signed (negative when money left the account). */
export const Transaction = z.strictObject({
  id: z.string(),
  transferId: z.string(),
  amount: Minor,
  balanceAfter: Minor,
  counterparty: z.string(),
  description: z.string(),
  createdAt: Instant,
});
export type Transaction = z.output<typeof Transaction>;

/** A payee: someone outside the bank the customer pays. */
export const Payee = z.strictObject({
  id: z.string(),
  name: z.string(),
  accountNumber: z.string(),
  createdAt: Instant,
});
export type Payee = z.output<typeof Payee>;

/** A completed transfer, as `POST /transfers` answers it (the first time and on every replay). */
export const Transfer = z.strictObject({
  id: z.string(),
  status: z.literal('completed'),
  fromAccountId: z.string(),
  toAccountId: z.string().nullable(),
  toPayeeId: z.string().nullable(),
  amount: Minor,
  currency: z.string().regex(/^[A-Z]{3}$/),
  description: z.string(),
  createdAt: Instant,
});
export type Transfer = z.output<typeof Transfer>;

/** `GET /accounts`. */
export const AccountList = z.strictObject({ accounts: z.array(Account) });
/** `GET /accounts/{id}/transactions`, newest first. */
export const TransactionList = z.strictObject({ transactions: z.array(Transaction) });
/** `GET /payees`. */
export const PayeeList = z.strictObject({ payees: z.array(Payee) });
