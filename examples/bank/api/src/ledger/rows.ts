import { z } from 'zod';

// Every row is parsed: the database is a boundary too.
const int = z.coerce.number().int().safe();
const time = int.transform((ms) => new Date(ms).toISOString());

export const AccountRow = z
  .object({ id: z.string(), name: z.string(), number: z.string(), currency: z.string(), balance: int })
  .transform((r) => ({ id: r.id, name: r.name, number: r.number, currency: r.currency, balance: r.balance }));
/** An account as the API returns it; `balance` in minor units. */
export type Account = z.output<typeof AccountRow>;

export const PostingRow = z
  .object({
    id: int,
    transfer_id: z.string(),
    amount: int,
    balance_after: int,
    counterparty: z.string(),
    description: z.string(),
    created_at: time,
  })
  .transform((r) => ({
    id: String(r.id),
    transferId: r.transfer_id,
    amount: r.amount,
    balanceAfter: r.balance_after,
    counterparty: r.counterparty,
    description: r.description,
    createdAt: r.created_at,
  }));
/** One line of an account's history: `amount` signed (negative when money left the account). */
export type Transaction = z.output<typeof PostingRow>;

export const PayeeRow = z
  .object({ id: z.string(), name: z.string(), account_number: z.string(), created_at: time })
  .transform((r) => ({ id: r.id, name: r.name, accountNumber: r.account_number, createdAt: r.created_at }));
/** A payee: someone outside the bank the customer pays. */
export type Payee = z.output<typeof PayeeRow>;

export const TransferRow = z
  .object({
    id: z.string(),
    from_account: z.string(),
    to_account: z.string(),
    payee_id: z.string().nullable(),
    amount: int,
    currency: z.string(),
    description: z.string(),
    created_at: time,
  })
  .transform((r) => ({
    id: r.id,
    status: 'completed' as const,
    fromAccountId: r.from_account,
    toAccountId: r.payee_id === null ? r.to_account : null,
    toPayeeId: r.payee_id,
    amount: r.amount,
    currency: r.currency,
    description: r.description,
    createdAt: r.created_at,
  }));
/** A completed transfer, as `POST /transfers` answers it (the first time and on every replay). */
export type Transfer = z.output<typeof TransferRow>;

export const LockedRow = z.object({
  id: z.string(),
  owner: z.string().nullable(),
  internal: z.boolean(),
  name: z.string(),
  currency: z.string(),
  balance: int.nullable(),
});
/** An account row locked for update inside a transaction. */
export type Locked = z.output<typeof LockedRow>;
