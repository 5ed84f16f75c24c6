import type { Db, Queryable } from '@stepup-example/db';
import { BankApiError } from '../errors.js';
import { newId } from './ids.js';
import { type Payee, PayeeRow } from './rows.js';

/** The customer's payees, by name. */
export async function listPayees(db: Queryable, owner: string): Promise<Payee[]> {
  const { rows } = await db.query(
    'SELECT id, name, account_number, created_at FROM payees WHERE owner = $1 ORDER BY lower(name), id',
    [owner],
  );
  return rows.map((row) => PayeeRow.parse(row));
}

/** One of the customer's payees. @throws BankApiError `ERR_PAYEE_NOT_FOUND`. */
export async function getPayee(db: Queryable, owner: string, id: string): Promise<Payee> {
  const { rows } = await db.query(
    'SELECT id, name, account_number, created_at FROM payees WHERE id = $1 AND owner = $2',
    [id, owner],
  );
  if (rows[0] === undefined) throw new BankApiError('ERR_PAYEE_NOT_FOUND', 'No such payee.');
  return PayeeRow.parse(rows[0]);
}

/**
 * Adds a payee for a customer whose accounts are open. `accountNumber` must already be normalized.
 * @throws BankApiError `ERR_PAYEE_EXISTS` when the customer already has this account number.
 */
export async function addPayee(
  db: Db,
  owner: string,
  payee: { name: string; accountNumber: string },
  now: number,
): Promise<Payee> {
  const { rows, count } = await db.query(
    `INSERT INTO payees (id, owner, name, account_number, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (owner, account_number) DO NOTHING RETURNING id, name, account_number, created_at`,
    [newId('pay'), owner, payee.name, payee.accountNumber, now],
  );
  if (count === 0 || rows[0] === undefined) {
    throw new BankApiError('ERR_PAYEE_EXISTS', 'You already have a payee with this account number.');
  }
  return PayeeRow.parse(rows[0]);
}
