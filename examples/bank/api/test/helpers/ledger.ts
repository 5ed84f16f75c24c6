import type { Db } from '@stepup-example/api';
import { z } from 'zod';

const Row = z.object({ id: z.string(), balance: z.number(), posted: z.number() });
const Total = z.object({ total: z.number() });

/**
 * The ledger's invariants, read straight from the database: every transfer's postings sum to zero,
 * every customer balance equals the sum of its postings and is not negative.
 */
export async function ledgerState(db: Db) {
  const accounts = (
    await db.query(
      `SELECT a.id, a.balance, COALESCE(SUM(p.amount), 0)::bigint AS posted
       FROM accounts a LEFT JOIN postings p ON p.account_id = a.id
       WHERE NOT a.internal GROUP BY a.id, a.balance`,
    )
  ).rows.map((row) => Row.parse(row));
  const unbalanced = await db.query(
    'SELECT transfer_id FROM postings GROUP BY transfer_id HAVING SUM(amount) <> 0 OR COUNT(*) <> 2',
  );
  const total = Total.parse(
    (await db.query('SELECT COALESCE(SUM(amount), 0)::bigint AS total FROM postings')).rows[0],
  );
  return {
    accounts,
    unbalancedTransfers: unbalanced.count,
    postingsTotal: total.total,
    mismatched: accounts.filter((a) => a.balance !== a.posted).map((a) => a.id),
    negative: accounts.filter((a) => a.balance < 0).map((a) => a.id),
  };
}

/** How many transfers (of any kind) the ledger holds. */
export async function transferCount(db: Db): Promise<number> {
  const { rows } = await db.query('SELECT COUNT(*)::bigint AS total FROM transfers');
  return Total.parse(rows[0]).total;
}
