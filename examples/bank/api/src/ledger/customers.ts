import type { Db, Queryable } from '@stepup-example/db';
import { BANK_ACCOUNTS, CURRENCY } from './bank.js';
import { newAccountNumber, newId } from './ids.js';
import { lockAccounts, post } from './post.js';

const DAY = 86_400_000;

/** The demo accounts every new customer gets, in display order. */
const DEMO_ACCOUNTS = [
  { key: 'everyday', name: 'Everyday account' },
  { key: 'savings', name: 'Savings account' },
] as const;

type DemoKey = (typeof DEMO_ACCOUNTS)[number]['key'];

/**
 * A month of plausible history, oldest first; positive amounts come in from outside the bank.
 * Everyday ends at 2,609.40 and savings at 12,000.00.
 */
const DEMO_HISTORY: readonly {
  account: DemoKey;
  amount: number;
  party: string;
  text: string;
  age: number;
}[] = [
  { account: 'everyday', amount: 100_000, party: 'Stepup Bank', text: 'Opening balance', age: 30 * DAY },
  {
    account: 'savings',
    amount: 1_200_000,
    party: 'Stepup Bank',
    text: 'Opening balance',
    age: 30 * DAY - 60_000,
  },
  { account: 'everyday', amount: 285_000, party: 'Northwind Ltd', text: 'Salary', age: 14 * DAY },
  { account: 'everyday', amount: -115_000, party: 'Parkside Homes', text: 'Rent', age: 12 * DAY },
  { account: 'everyday', amount: -8_640, party: 'FreshMart', text: 'Groceries', age: 3 * DAY },
  { account: 'everyday', amount: -420, party: 'Bean There', text: 'Coffee', age: DAY },
];

async function createAccounts(tx: Queryable, sub: string, now: number): Promise<Record<DemoKey, string>> {
  const ids = {} as Record<DemoKey, string>;
  for (const [position, account] of DEMO_ACCOUNTS.entries()) {
    ids[account.key] = newId('acc');
    await tx.query(
      `INSERT INTO accounts (id, owner, internal, name, number, currency, balance, position, created_at)
       VALUES ($1, $2, false, $3, $4, $5, 0, $6, $7)`,
      [ids[account.key], sub, account.name, newAccountNumber(), CURRENCY, position, now - 30 * DAY],
    );
  }
  return ids;
}

/**
 * Opens the demo accounts of a customer seen for the first time (the subject of a valid access
 * token), with a month of history. Returns `false`, changing nothing, when the customer exists.
 * Safe under concurrency: a second caller waits on the `customers` row and then finds it.
 */
export async function openCustomer(db: Db, sub: string, now: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const created = await tx.query(
      'INSERT INTO customers (sub, created_at) VALUES ($1, $2) ON CONFLICT (sub) DO NOTHING',
      [sub, now],
    );
    if (created.count === 0) return false;
    const ids = await createAccounts(tx, sub, now);
    const locked = await lockAccounts(tx, [
      ...Object.values(ids),
      BANK_ACCOUNTS.capital.id,
      BANK_ACCOUNTS.outgoing.id,
    ]);
    const get = (id: string) => locked.get(id)!;
    for (const line of DEMO_HISTORY) {
      const customer = get(ids[line.account]);
      const incoming = line.amount > 0;
      const bank = get(incoming ? BANK_ACCOUNTS.capital.id : BANK_ACCOUNTS.outgoing.id);
      await post(tx, {
        id: newId('trf'),
        owner: null,
        kind: line.text === 'Opening balance' ? 'opening' : 'history',
        from: incoming ? bank : customer,
        to: incoming ? customer : bank,
        amount: Math.abs(line.amount),
        description: line.text,
        counterparty: incoming
          ? { from: customer.name, to: line.party }
          : { from: line.party, to: customer.name },
        createdAt: now - line.age,
      });
    }
    return true;
  });
}
