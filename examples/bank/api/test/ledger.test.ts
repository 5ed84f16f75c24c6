import { auditLedger, type Db, ledgerViolations } from '@stepup-example/api';
import { ACR_ELEVATED } from '@stepup-example/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresVariant } from '../../../../test/services.js';
import { accountsOf, paymentTo, startTestBank, type TestBank } from './helpers/bank.js';
import { DATABASES } from './helpers/db.js';

describe.each(DATABASES)('the ledger on $name', (database) => {
  let db: Db;
  let drop: () => Promise<void>;
  let bank: TestBank;

  beforeAll(async () => {
    ({ db, drop } = await database.open());
    bank = await startTestBank(db);
  });
  afterAll(async () => {
    await bank.close();
    await drop();
  });

  const send = async (sub: string, body: Record<string, unknown>, key: string, authorization?: string) =>
    bank.call('/transfers', {
      authorization: authorization ?? (await bank.high(sub)),
      body,
      headers: { 'idempotency-key': key },
    });

  it('opens a new customer two accounts with a month of balanced history', async () => {
    const { all, everyday, savings } = await accountsOf(bank, 'carol');
    expect(all.map((a) => [a.name, a.balance, a.currency])).toEqual([
      ['Everyday account', 260_940, 'EUR'],
      ['Savings account', 1_200_000, 'EUR'],
    ]);
    expect(everyday.number).toMatch(/^SB\d{2}( \d{4}){3}$/);
    const response = await bank.call(`/accounts/${everyday.id}/transactions`, {
      authorization: await bank.standard('carol'),
    });
    const { transactions } = await response.json();
    expect(
      transactions.map((t: { description: string; amount: number }) => [t.description, t.amount]),
    ).toEqual([
      ['Coffee', -420],
      ['Groceries', -8_640],
      ['Rent', -115_000],
      ['Salary', 285_000],
      ['Opening balance', 100_000],
    ]);
    expect(transactions[0]).toMatchObject({ counterparty: 'Bean There', balanceAfter: 260_940 });
    expect(savings.balance).toBe(1_200_000);
    // The same customer again: nothing new is opened.
    expect((await accountsOf(bank, 'carol')).all).toHaveLength(2);
  });

  it('200 concurrent transfers from one account: never below zero, no money created or lost', async () => {
    const { everyday, savings } = await accountsOf(bank, 'dave');
    const authorization = await bank.standard('dave');
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        send(
          'dave',
          { fromAccountId: everyday.id, toAccountId: savings.id, amount: 2_000 },
          `dave-${i}`,
          authorization,
        ),
      ),
    );
    const statuses = responses.map((r) => r.status);
    // 2,609.40 covers 130 transfers of 20.00 and not a 131st.
    expect(statuses.filter((s) => s === 201)).toHaveLength(130);
    expect(statuses.filter((s) => s === 422)).toHaveLength(70);
    const failed = await Promise.all(responses.filter((r) => r.status === 422).map((r) => r.json()));
    expect(new Set(failed.map((b) => b.code))).toEqual(new Set(['ERR_INSUFFICIENT_FUNDS']));
    const after = await accountsOf(bank, 'dave');
    expect(after.everyday.balance).toBe(260_940 - 130 * 2_000);
    expect(after.savings.balance).toBe(1_200_000 + 130 * 2_000);
    expect(after.everyday.balance + after.savings.balance).toBe(260_940 + 1_200_000);
    expect(ledgerViolations(await auditLedger(db))).toEqual([]);
  });

  it('transfers both ways between two accounts at once do not deadlock', async () => {
    const { everyday, savings } = await accountsOf(bank, 'erin');
    const authorization = await bank.standard('erin');
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const [from, to] = i % 2 === 0 ? [everyday, savings] : [savings, everyday];
        return send(
          'erin',
          { fromAccountId: from.id, toAccountId: to.id, amount: 1_000 },
          `erin-${i}`,
          authorization,
        );
      }),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(60).fill(201));
    const after = await accountsOf(bank, 'erin');
    expect([after.everyday.balance, after.savings.balance]).toEqual([260_940, 1_200_000]);
  });

  it('a retried idempotency key moves money once, even when the retries race', async () => {
    const { everyday, savings } = await accountsOf(bank, 'frank');
    const body = { fromAccountId: savings.id, toAccountId: everyday.id, amount: 500_000, description: 'Car' };
    const before = (await auditLedger(db)).transfers;
    // One approval of the car (elevated tier), retried 20 times at once with one key: an idempotent replay.
    const approval = await bank.approved('frank', [paymentTo(everyday, 500_000)], { acr: ACR_ELEVATED });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => send('frank', body, 'frank-car', approval)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
    expect(bodies[0]).toMatchObject({
      status: 'completed',
      fromAccountId: savings.id,
      toAccountId: everyday.id,
      toPayeeId: null,
      amount: 500_000,
      currency: 'EUR',
      description: 'Car',
    });
    const again = await send('frank', body, 'frank-car', approval);
    expect(again.status).toBe(201);
    expect((await again.json()).id).toBe(bodies[0].id);
    expect((await auditLedger(db)).transfers).toBe(before + 1);
    const after = await accountsOf(bank, 'frank');
    expect([after.everyday.balance, after.savings.balance]).toEqual([260_940 + 500_000, 1_200_000 - 500_000]);
  });

  it('after a step-up the retry with the same key succeeds once', async () => {
    const { everyday, savings } = await accountsOf(bank, 'gina');
    const body = { fromAccountId: savings.id, toAccountId: everyday.id, amount: 500_000 };
    const challenged = await send('gina', body, 'gina-1', await bank.standard('gina'));
    expect(challenged.status).toBe(401);
    expect((await challenged.json()).authorization_details).toEqual([paymentTo(everyday, 500_000)]);
    const approval = await bank.approved('gina', [paymentTo(everyday, 500_000)], { authAge: 5 });
    const retried = await send('gina', body, 'gina-1', approval);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    const replayed = await send('gina', body, 'gina-1', approval);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect((await accountsOf(bank, 'gina')).savings.balance).toBe(700_000);
  });

  it('the same key with a different body is refused with 422 and moves nothing', async () => {
    const { everyday, savings } = await accountsOf(bank, 'hugo');
    const first = await send(
      'hugo',
      { fromAccountId: savings.id, toAccountId: everyday.id, amount: 100 },
      'hugo-1',
    );
    expect(first.status).toBe(201);
    const reused = await send(
      'hugo',
      { fromAccountId: savings.id, toAccountId: everyday.id, amount: 200 },
      'hugo-1',
    );
    expect(reused.status).toBe(422);
    expect(await reused.json()).toEqual({
      code: 'ERR_IDEMPOTENCY_KEY_REUSED',
      message: 'This Idempotency-Key was used for a different request.',
    });
    expect((await accountsOf(bank, 'hugo')).savings.balance).toBe(1_200_000 - 100);
  });

  it('keys belong to one customer: the same key from another customer is another transfer', async () => {
    const ivy = await accountsOf(bank, 'ivy');
    const jack = await accountsOf(bank, 'jack');
    const a = await send(
      'ivy',
      { fromAccountId: ivy.savings.id, toAccountId: ivy.everyday.id, amount: 1 },
      'shared',
    );
    const b = await send(
      'jack',
      { fromAccountId: jack.savings.id, toAccountId: jack.everyday.id, amount: 1 },
      'shared',
    );
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await a.json()).id).not.toBe((await b.json()).id);
  });

  it('refuses what must not happen, leaving the key free for a corrected retry', async () => {
    const kim = await accountsOf(bank, 'kim');
    const lee = await accountsOf(bank, 'lee');
    const cases: [Record<string, unknown>, number, string][] = [
      [
        { fromAccountId: kim.everyday.id, toAccountId: kim.savings.id, amount: 260_941 },
        422,
        'ERR_INSUFFICIENT_FUNDS',
      ],
      [
        { fromAccountId: lee.everyday.id, toAccountId: kim.savings.id, amount: 1 },
        404,
        'ERR_ACCOUNT_NOT_FOUND',
      ],
      [
        { fromAccountId: kim.everyday.id, toAccountId: lee.savings.id, amount: 1 },
        404,
        'ERR_ACCOUNT_NOT_FOUND',
      ],
      [{ fromAccountId: kim.everyday.id, toAccountId: kim.everyday.id, amount: 1 }, 422, 'ERR_SAME_ACCOUNT'],
      [
        { fromAccountId: kim.everyday.id, toAccountId: 'bank-outgoing', amount: 1 },
        404,
        'ERR_ACCOUNT_NOT_FOUND',
      ],
      [
        { fromAccountId: 'bank-capital', toAccountId: kim.everyday.id, amount: 1 },
        404,
        'ERR_ACCOUNT_NOT_FOUND',
      ],
      [{ fromAccountId: kim.everyday.id, toPayeeId: 'pay_nope', amount: 1 }, 404, 'ERR_PAYEE_NOT_FOUND'],
    ];
    const over = await bank.approved('kim', [paymentTo(kim.savings, 260_941)], { acr: ACR_ELEVATED });
    for (const [body, status, code] of cases) {
      const response = await send('kim', body, 'kim-1', body.amount === 260_941 ? over : undefined);
      expect([response.status, (await response.json()).code], JSON.stringify(body)).toEqual([status, code]);
    }
    const ok = await send(
      'kim',
      { fromAccountId: kim.everyday.id, toAccountId: kim.savings.id, amount: 260_940 },
      'kim-1',
      await bank.approved('kim', [paymentTo(kim.savings, 260_940)], { acr: ACR_ELEVATED }),
    );
    expect(ok.status).toBe(201);
    expect((await accountsOf(bank, 'kim')).everyday.balance).toBe(0);
  });

  it('pays a payee: the money leaves the bank, the statement names the payee', async () => {
    const { everyday } = await accountsOf(bank, 'lou');
    const added = await bank.call('/payees', {
      authorization: await bank.high('lou'),
      body: { name: 'City Water', accountNumber: 'gb29 nwbk 6016 1331 9268 19' },
    });
    expect(added.status).toBe(201);
    const payee = await added.json();
    const duplicate = await bank.call('/payees', {
      authorization: await bank.high('lou'),
      body: { name: 'Water again', accountNumber: 'GB29NWBK60161331926819' },
    });
    expect([duplicate.status, (await duplicate.json()).code]).toEqual([409, 'ERR_PAYEE_EXISTS']);
    // A payee added today: any amount needs the high level and an approval of the payment.
    const paid = await send(
      'lou',
      { fromAccountId: everyday.id, toPayeeId: payee.id, amount: 4_599, description: 'Bill 0042' },
      'lou-1',
      await bank.approved('lou', [paymentTo(payee, 4_599)]),
    );
    expect(paid.status).toBe(201);
    expect(await paid.json()).toMatchObject({ toAccountId: null, toPayeeId: payee.id, amount: 4_599 });
    const history = await bank.call(`/accounts/${everyday.id}/transactions?limit=1`, {
      authorization: await bank.standard('lou'),
    });
    expect((await history.json()).transactions).toEqual([
      expect.objectContaining({
        amount: -4_599,
        counterparty: 'City Water',
        description: 'Bill 0042',
        balanceAfter: 256_341,
      }),
    ]);
    const mallory = await accountsOf(bank, 'mallory');
    const foreign = await send(
      'mallory',
      { fromAccountId: mallory.everyday.id, toPayeeId: payee.id, amount: 1 },
      'm-1',
    );
    expect([foreign.status, (await foreign.json()).code]).toEqual([404, 'ERR_PAYEE_NOT_FOUND']);
    expect(ledgerViolations(await auditLedger(db))).toEqual([]);
  });
});

postgresVariant('the ledger on PostgreSQL');
