import type { Queryable } from '@stepup-example/db';
import { BankApiError } from '../errors.js';
import { type Account, AccountRow, PostingRow, type Transaction } from './rows.js';

/** The customer's accounts, in display order. */
export async function listAccounts(db: Queryable, owner: string): Promise<Account[]> {
  const { rows } = await db.query(
    `SELECT id, name, number, currency, balance FROM accounts
     WHERE owner = $1 AND NOT internal ORDER BY position, created_at, id`,
    [owner],
  );
  return rows.map((row) => AccountRow.parse(row));
}

/** One of the customer's accounts. @throws BankApiError `ERR_ACCOUNT_NOT_FOUND` (also for another customer's account). */
export async function getAccount(db: Queryable, owner: string, id: string): Promise<Account> {
  const { rows } = await db.query(
    'SELECT id, name, number, currency, balance FROM accounts WHERE id = $1 AND owner = $2 AND NOT internal',
    [id, owner],
  );
  if (rows[0] === undefined) throw new BankApiError('ERR_ACCOUNT_NOT_FOUND', 'No such account.');
  return AccountRow.parse(rows[0]);
}

/**
 * The account's history, newest first, at most `limit` lines.
 * @throws BankApiError `ERR_ACCOUNT_NOT_FOUND` when the account is not the customer's.
 */
export async function listTransactions(
  db: Queryable,
  owner: string,
  accountId: string,
  limit: number,
): Promise<Transaction[]> {
  await getAccount(db, owner, accountId);
  const { rows } = await db.query(
    `SELECT p.id, p.transfer_id, p.amount, p.balance_after, p.counterparty, t.description, p.created_at
     FROM postings p JOIN transfers t ON t.id = p.transfer_id
     WHERE p.account_id = $1 ORDER BY p.created_at DESC, p.id DESC LIMIT $2`,
    [accountId, limit],
  );
  return rows.map((row) => PostingRow.parse(row));
}
