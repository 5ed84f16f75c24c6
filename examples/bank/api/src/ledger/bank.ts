import type { Db } from '@stepup-example/db';

/** The bank's own accounts. Internal: no stored balance, may go below zero (see the migration). */
export const BANK_ACCOUNTS = {
  /** Where opening balances and incoming demo payments come from. */
  capital: { id: 'bank-capital', name: 'Stepup Bank capital', number: 'INTERNAL CAPITAL' },
  /** Where payments to payees (outside the bank) go. */
  outgoing: { id: 'bank-outgoing', name: 'Outgoing payments', number: 'INTERNAL OUTGOING' },
} as const;

/** The currency of every account of the example bank. */
export const CURRENCY = 'EUR';

/** Creates the bank's internal accounts when missing (first start). Idempotent. */
export async function seedBank(db: Db, now: number): Promise<void> {
  for (const account of Object.values(BANK_ACCOUNTS)) {
    await db.query(
      `INSERT INTO accounts (id, owner, internal, name, number, currency, balance, created_at)
       VALUES ($1, NULL, true, $2, $3, $4, NULL, $5) ON CONFLICT (id) DO NOTHING`,
      [account.id, account.name, account.number, CURRENCY, now],
    );
  }
}
