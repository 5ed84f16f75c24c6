// Transaction-bound transfers through the bank API (RFC 9396 authorization_details, one-time use in
// the API's database through @stepup/core's PostgreSQL replay store), on PGlite and PostgreSQL: a
// token approved for €1,500.00 to a payee pays exactly that, once; the idempotent retry of the same
// request is answered again; everything else is refused and moves nothing.
import { readFileSync } from 'node:fs';
import { createPostgresReplayStore } from '@stepup/core/stores';
import { auditLedger, type Db, ledgerViolations, REPLAY_TABLE } from '@stepup-example/api';
import { ACR_ELEVATED } from '@stepup-example/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresVariant } from '../../../../test/services.js';
import { accountsOf, NOW, startTestBank, type TestBank } from './helpers/bank.js';
import { DATABASES } from './helpers/db.js';

const CITY_WATER = { id: 'pay_city_water', name: 'City Water', number: 'GB29NWBK60161331926819' };
const GAS_WORKS = { id: 'pay_gas_works', name: 'Gas Works', number: 'DE89370400440532013000' };
/** €1,500.00 to City Water, as the customer approves it. */
const APPROVED = {
  type: 'payment_initiation',
  instructedAmount: { currency: 'EUR', amount: '1500.00' },
  creditorName: 'City Water',
  creditorAccount: { iban: 'GB29NWBK60161331926819' },
};

describe.each(DATABASES)('bound transfers on $name', (database) => {
  let db: Db;
  let drop: () => Promise<void>;
  let bank: TestBank;
  let key = 0;

  beforeAll(async () => {
    ({ db, drop } = await database.open());
    bank = await startTestBank(db);
  });
  afterAll(async () => {
    await bank.close();
    await drop();
  });

  /** A customer with two payees known for a week (transfers up to 10,000.00 to them are elevated). */
  async function customer(sub: string) {
    const accounts = await accountsOf(bank, sub);
    for (const payee of [CITY_WATER, GAS_WORKS]) {
      await db.query(
        'INSERT INTO payees (id, owner, name, account_number, created_at) VALUES ($1, $2, $3, $4, $5)',
        [`${payee.id}_${sub}`, sub, payee.name, payee.number, NOW - 7 * 86_400_000],
      );
    }
    const pay = async (
      authorization: string,
      to: string,
      amount: number,
      idempotencyKey = `${sub}-${++key}`,
    ) =>
      bank.call('/transfers', {
        authorization,
        body: { fromAccountId: accounts.everyday.id, toPayeeId: `${to}_${sub}`, amount },
        headers: { 'idempotency-key': idempotencyKey },
      });
    const approval = (details: readonly object[] = [APPROVED]) =>
      bank.approved(sub, details, { acr: ACR_ELEVATED });
    return { accounts, pay, approval };
  }

  const balance = async (sub: string) => (await accountsOf(bank, sub)).everyday.balance;
  const code = async (response: Response) => [response.status, (await response.json()).code];

  it('pays exactly the approved transfer, once', async () => {
    const { pay, approval } = await customer('ann');
    const token = await approval();
    const paid = await pay(token, CITY_WATER.id, 150_000, 'ann-rent');
    expect(paid.status).toBe(201);
    expect(await balance('ann')).toBe(260_940 - 150_000);
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM ${REPLAY_TABLE} WHERE fingerprint = 'ann-rent'`,
    );
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('refuses the approval for another amount, payee or currency, and moves nothing', async () => {
    const { pay, approval } = await customer('bea');
    const token = await approval();
    // Each refusal is checked before the approval's use is recorded: it stays good for its own transfer.
    expect(await code(await pay(token, GAS_WORKS.id, 150_000))).toEqual([
      401,
      'ERR_AUTHORIZATION_DETAILS_MISMATCH',
    ]);
    expect(await code(await pay(token, CITY_WATER.id, 160_000))).toEqual([
      401,
      'ERR_AUTHORIZATION_DETAILS_MISMATCH',
    ]);
    const dollars = await approval([
      { ...APPROVED, instructedAmount: { currency: 'USD', amount: '1500.00' } },
    ]);
    expect(await code(await pay(dollars, CITY_WATER.id, 150_000))).toEqual([
      401,
      'ERR_AUTHORIZATION_DETAILS_MISMATCH',
    ]);
    const spaced = await approval([
      { ...APPROVED, creditorAccount: { iban: 'GB29 NWBK 6016 1331 9268 19' } },
    ]);
    expect(await code(await pay(spaced, CITY_WATER.id, 150_000))).toEqual([
      401,
      'ERR_AUTHORIZATION_DETAILS_MISMATCH',
    ]);
    const unpadded = await approval([{ ...APPROVED, instructedAmount: { currency: 'EUR', amount: '1500' } }]);
    expect(await code(await pay(unpadded, CITY_WATER.id, 150_000))).toEqual([
      401,
      'ERR_AUTHORIZATION_DETAILS_MISMATCH',
    ]);
    expect(await balance('bea')).toBe(260_940);
    expect((await pay(token, CITY_WATER.id, 150_000)).status).toBe(201);
  });

  it('refuses details of another type and a token without details, with the challenge naming the transfer', async () => {
    const { pay, approval } = await customer('cal');
    const other = await approval([{ type: 'account_information', actions: ['read'] }]);
    const refused = await pay(other, CITY_WATER.id, 150_000);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/error="insufficient_authorization"/);
    expect(await refused.json()).toMatchObject({
      code: 'ERR_AUTHORIZATION_DETAILS_MISMATCH',
      error: 'insufficient_authorization',
      authorization_details: [APPROVED],
    });
    const bare = await pay(await bank.elevated('cal'), CITY_WATER.id, 150_000);
    expect(await bare.json()).toMatchObject({
      code: 'ERR_AUTHORIZATION_DETAILS_MISSING',
      authorization_details: [APPROVED],
    });
    expect(await balance('cal')).toBe(260_940);
  });

  it('refuses a second use with another key, and answers the idempotent retry of the same request again', async () => {
    const { pay, approval } = await customer('dan');
    const token = await approval();
    const first = await pay(token, CITY_WATER.id, 150_000, 'dan-1');
    expect(first.status).toBe(201);
    const retry = await pay(token, CITY_WATER.id, 150_000, 'dan-1');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await retry.json()).id).toBe((await first.json()).id);
    const second = await pay(token, CITY_WATER.id, 150_000, 'dan-2');
    expect(await code(second)).toEqual([401, 'ERR_AUTHORIZATION_DETAILS_USED']);
    expect(await balance('dan')).toBe(260_940 - 150_000);
  });

  it('lets exactly one of two concurrent requests with one token through', async () => {
    const { pay, approval } = await customer('eve');
    const token = await approval();
    const racing = await Promise.all([
      pay(token, CITY_WATER.id, 150_000, 'eve-a'),
      pay(token, CITY_WATER.id, 150_000, 'eve-b'),
    ]);
    expect(racing.map((r) => r.status).sort()).toEqual([201, 401]);
    const loser = racing.find((r) => r.status === 401)!;
    expect((await loser.json()).code).toBe('ERR_AUTHORIZATION_DETAILS_USED');
    expect(await balance('eve')).toBe(260_940 - 150_000);
    expect(ledgerViolations(await auditLedger(db))).toEqual([]);
  });

  it('keeps the store’s table in a migration that says what the store would create', () => {
    const migration = readFileSync(new URL('../migrations/0002_stepup_replay.sql', import.meta.url), 'utf8');
    const statements = (sql: string) =>
      sql
        .split('\n')
        .filter((line) => !line.startsWith('--'))
        .join(' ')
        .split(';')
        .map((s) => s.replace(/\s+/g, ' ').trim())
        .filter((s) => s !== '');
    const store = createPostgresReplayStore({ client: db, table: REPLAY_TABLE, sweepInterval: false });
    expect(statements(migration)).toEqual(statements(store.sql));
  });
});

postgresVariant('bound transfers on PostgreSQL');
