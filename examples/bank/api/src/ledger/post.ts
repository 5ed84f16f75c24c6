import type { Queryable } from '@stepup-example/db';
import { z } from 'zod';
import { BankApiError } from '../errors.js';
import { type Locked, LockedRow, type Transfer, TransferRow } from './rows.js';

/** What one journal entry moves: `amount` (minor units, > 0) from `from` to `to`. */
export interface Entry {
  readonly id: string;
  /** The customer who asked for it; `null` for the bank's own entries (opening balances). */
  readonly owner: string | null;
  readonly kind: 'opening' | 'history' | 'transfer' | 'payment';
  readonly from: Locked;
  readonly to: Locked;
  readonly payeeId?: string;
  readonly amount: number;
  readonly description: string;
  /** What each side's statement shows as the other party. */
  readonly counterparty: { readonly from: string; readonly to: string };
  readonly createdAt: number;
}

const Balance = z.object({ balance: z.coerce.number().int().safe().nullable() });

/**
 * Reads the given accounts and locks the customer accounts among them for the rest of the
 * transaction, in id order, so two transfers between the same accounts in opposite directions cannot
 * deadlock. Internal accounts are read without a lock: their rows never change (no stored balance),
 * so payments from every customer to the same internal account do not queue behind each other.
 * Unknown ids are left out of the map.
 */
export async function lockAccounts(tx: Queryable, ids: readonly string[]): Promise<Map<string, Locked>> {
  const sorted = [...new Set(ids)].sort();
  const columns = 'id, owner, internal, name, currency, balance';
  const customers = await tx.query(
    `SELECT ${columns} FROM accounts WHERE id = ANY($1::text[]) AND NOT internal ORDER BY id FOR UPDATE`,
    [sorted],
  );
  const found = new Map(customers.rows.map((row) => LockedRow.parse(row)).map((a) => [a.id, a]));
  const rest = sorted.filter((id) => !found.has(id));
  if (rest.length === 0) return found;
  const internal = await tx.query(`SELECT ${columns} FROM accounts WHERE id = ANY($1::text[]) AND internal`, [
    rest,
  ]);
  for (const row of internal.rows) {
    const account = LockedRow.parse(row);
    found.set(account.id, account);
  }
  return found;
}

// A customer account's balance moves under the row lock taken by `lockAccounts`; an internal
// account has no stored balance (see the migration) and is not updated.
async function move(tx: Queryable, account: Locked, delta: number): Promise<number | null> {
  if (account.internal) return null;
  const { rows } = await tx.query(
    'UPDATE accounts SET balance = balance + $2 WHERE id = $1 RETURNING balance',
    [account.id, delta],
  );
  return Balance.parse(rows[0]).balance;
}

/**
 * Writes one balanced journal entry: the transfer, a debit and a credit posting (they sum to zero) and
 * the customer balances. Both accounts must be locked by the caller, in the same currency, and a
 * customer source must cover the amount: that is checked here again, and the database refuses a
 * negative customer balance (`accounts_no_overdraft`) as the last line.
 * Returns the transfer as written.
 * @throws BankApiError `ERR_INSUFFICIENT_FUNDS`, `ERR_CURRENCY_MISMATCH`, `ERR_SAME_ACCOUNT`.
 */
export async function post(tx: Queryable, entry: Entry): Promise<Transfer> {
  const { from, to, amount } = entry;
  if (from.id === to.id) throw new BankApiError('ERR_SAME_ACCOUNT', 'An account cannot pay itself.');
  if (from.currency !== to.currency) {
    throw new BankApiError('ERR_CURRENCY_MISMATCH', 'Both accounts must hold the same currency.');
  }
  if (!from.internal && (from.balance ?? 0) < amount) {
    throw new BankApiError('ERR_INSUFFICIENT_FUNDS', 'The balance does not cover this amount.');
  }
  const inserted = await tx.query(
    `INSERT INTO transfers (id, owner, kind, from_account, to_account, payee_id, amount, currency, description, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     RETURNING id, from_account, to_account, payee_id, amount, currency, description, created_at`,
    [
      entry.id,
      entry.owner,
      entry.kind,
      from.id,
      to.id,
      entry.payeeId ?? null,
      amount,
      from.currency,
      entry.description,
      entry.createdAt,
    ],
  );
  const fromAfter = await move(tx, from, -amount);
  const toAfter = await move(tx, to, amount);
  await tx.query(
    `INSERT INTO postings (transfer_id, account_id, amount, balance_after, counterparty, created_at)
     VALUES ($1, $2, $3, $4, $5, $9), ($1, $6, $7, $8, $10, $9)`,
    [
      entry.id,
      from.id,
      -amount,
      fromAfter,
      entry.counterparty.from,
      to.id,
      amount,
      toAfter,
      entry.createdAt,
      entry.counterparty.to,
    ],
  );
  if (fromAfter !== null) from.balance = fromAfter;
  if (toAfter !== null) to.balance = toAfter;
  return TransferRow.parse(inserted.rows[0]);
}
