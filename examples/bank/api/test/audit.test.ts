import { auditLedger, type Db, ledgerViolations } from '@stepup-example/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsOf, startTestBank, type TestBank } from './helpers/bank.js';
import { DATABASES } from './helpers/db.js';

// The ledger audit (shared with the fault-injection suite and the bench) must see every way a ledger
// can go wrong: each case below breaks one invariant by hand and expects exactly that finding.
describe('auditLedger', () => {
  let db: Db;
  let drop: () => Promise<void>;
  let bank: TestBank;
  let transferId: string;
  let accounts: Awaited<ReturnType<typeof accountsOf>>;

  beforeAll(async () => {
    ({ db, drop } = await DATABASES[0]!.open());
    bank = await startTestBank(db);
    accounts = await accountsOf(bank, 'audrey');
    const sent = await bank.call('/transfers', {
      authorization: await bank.standard('audrey'),
      body: { fromAccountId: accounts.savings.id, toAccountId: accounts.everyday.id, amount: 5_00 },
      headers: { 'idempotency-key': 'audit-1' },
    });
    transferId = (await sent.json()).id;
  });
  afterAll(async () => {
    await bank.close();
    await drop();
  });

  it('finds nothing wrong in a ledger the API wrote, and the key leads to the acknowledged transfer', async () => {
    const audit = await auditLedger(db, {
      acknowledged: [{ owner: 'audrey', key: 'audit-1', transferId }],
    });
    expect(ledgerViolations(audit, 260_940 + 1_200_000)).toEqual([]);
    // Two opening balances, four demo history lines (salary, rent, groceries, coffee), one transfer.
    expect(audit).toMatchObject({ transfers: 7, postingsTotal: 0, customersTotal: 260_940 + 1_200_000 });
  });

  it('names an acknowledged key that is missing or leads elsewhere', async () => {
    const audit = await auditLedger(db, {
      acknowledged: [
        { owner: 'audrey', key: 'audit-1', transferId: 'trf_other' },
        { owner: 'audrey', key: 'never-stored', transferId },
      ],
    });
    expect(audit.lostAcknowledged).toEqual([
      { owner: 'audrey', key: 'audit-1', transferId: 'trf_other', found: transferId },
      { owner: 'audrey', key: 'never-stored', transferId, found: null },
    ]);
  });

  it('finds a transfer without postings, a balance off its postings, keys without or sharing a transfer', async () => {
    const now = 1;
    await db.query(
      `INSERT INTO transfers (id, owner, kind, from_account, to_account, amount, currency, description, created_at)
       VALUES ('trf_bare', 'audrey', 'transfer', $1, $2, 7, 'EUR', '', $3)`,
      [accounts.savings.id, accounts.everyday.id, now],
    );
    await db.query('UPDATE accounts SET balance = balance + 3 WHERE id = $1', [accounts.everyday.id]);
    await db.query(
      `INSERT INTO idempotency_keys (owner, key, request_hash, transfer_id, created_at)
       VALUES ('audrey', 'dangling', 'h', NULL, $1), ('audrey', 'second', 'h', $2, $1)`,
      [now, transferId],
    );
    const audit = await auditLedger(db);
    expect(audit).toMatchObject({
      unbalancedTransfers: ['trf_bare'],
      mismatchedBalances: [accounts.everyday.id],
      keysWithoutTransfer: ['audrey dangling'],
      transfersWithSeveralKeys: [transferId],
      transfersWithoutKey: ['trf_bare'],
      negativeBalances: [],
    });
    expect(ledgerViolations(audit, 260_940 + 1_200_000)).toEqual([
      'transfers without two balanced postings: 1 (trf_bare)',
      `customers' total ${260_940 + 1_200_000} became ${260_940 + 1_200_000 + 3}`,
      `balances that are not the sum of their postings: 1 (${accounts.everyday.id})`,
      'keys without a transfer: 1 (audrey dangling)',
      `transfers behind two keys: 1 (${transferId})`,
      'customer transfers without a key: 1 (trf_bare)',
    ]);
  });
});
