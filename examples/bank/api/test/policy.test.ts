import { readAuthorizationChallenge, readStepUpChallenge } from '@stepup/core';
import type { Db } from '@stepup-example/api';
import { ACR_ELEVATED, ACR_HIGH, ACR_STANDARD } from '@stepup-example/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIENCE,
  accountsOf,
  NOW,
  paymentTo,
  startTestBank,
  type TestBank,
  WEB_ORIGIN,
} from './helpers/bank.js';
import { DATABASES } from './helpers/db.js';

// Every boundary of the bank's policy (src/policy.ts), through HTTP, on the fixed clock.
const pglite = DATABASES[0]!;
let key = 0;
const nextKey = () => `policy-${++key}`;

let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await pglite.open());
});
afterAll(() => drop());

describe('step-up policy (clock tolerance 0)', () => {
  let bank: TestBank;
  let from: string;
  let to: string;
  let toNumber: string;
  let payment: (amount: number) => ReturnType<typeof paymentTo>;

  beforeAll(async () => {
    bank = await startTestBank(db, { clockTolerance: 0 });
    const accounts = await accountsOf(bank, 'alice');
    from = accounts.savings.id;
    to = accounts.everyday.id;
    toNumber = accounts.everyday.number.replaceAll(' ', '');
    payment = (amount) => paymentTo(accounts.everyday, amount);
  });
  afterAll(() => bank.close());

  const transfer = async (authorization: string, amount: number, headers: Record<string, string> = {}) =>
    bank.call('/transfers', {
      authorization,
      body: { fromAccountId: from, toAccountId: to, amount, description: 'policy' },
      headers: { 'idempotency-key': nextKey(), ...headers },
    });

  it('reading needs a token: none gets 401 with a bare DPoP challenge (Bearer is not offered)', async () => {
    const response = await bank.call('/accounts');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      `DPoP realm="bank", resource_metadata="${AUDIENCE}/.well-known/oauth-protected-resource", algs="ES256"`,
    );
    expect(await response.json()).toMatchObject({ code: 'ERR_TOKEN_MISSING' });
  });

  it('reading accepts the standard level', async () => {
    const response = await bank.call('/accounts', { authorization: await bank.standard('alice') });
    expect(response.status).toBe(200);
  });

  it('an ID token (typ JWT) is not an access token', async () => {
    const token = await bank.issuer.mint(
      { sub: 'alice', acr: ACR_HIGH, scope: 'accounts:read', cnf: { jkt: bank.jkt } },
      { typ: 'JWT' },
    );
    const response = await bank.call('/accounts', { authorization: `DPoP ${token}` });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^DPoP realm="bank", error="invalid_token"/);
  });

  it('a transfer of exactly 1,000.00 (100000) needs only the standard level', async () => {
    const response = await transfer(await bank.standard('alice'), 100_000);
    expect(response.status).toBe(201);
  });

  it('a transfer of 1,000.01 (100001) at the standard level gets the RFC 9470 challenge for the elevated level and the transfer to approve, readable cross-origin', async () => {
    const response = await transfer(await bank.standard('alice'), 100_001, { origin: WEB_ORIGIN });
    expect(response.status).toBe(401);
    const header = response.headers.get('www-authenticate')!;
    const body = await response.json();
    const detail = {
      type: 'payment_initiation',
      instructedAmount: { currency: 'EUR', amount: '1000.01' },
      creditorName: 'Everyday account',
      creditorAccount: { iban: toNumber },
    };
    expect(header).toMatch(
      new RegExp(
        `^DPoP realm="bank", error="insufficient_user_authentication", error_description="A stronger authentication is required \\(level elevated\\)", acr_values="${ACR_ELEVATED} ${ACR_HIGH}", max_age="300", authorization_remediation="[A-Za-z0-9_-]+", resource_metadata="${AUDIENCE}/.well-known/oauth-protected-resource", algs="ES256"$`,
      ),
    );
    expect(readStepUpChallenge(header)).toMatchObject({ acrValues: [ACR_ELEVATED, ACR_HIGH], maxAge: 300 });
    expect(readAuthorizationChallenge(header)?.authorizationDetails).toEqual([detail]);
    expect(response.headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN);
    expect(response.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
    expect(body).toEqual({
      error: 'insufficient_user_authentication',
      error_description: 'A stronger authentication is required (level elevated)',
      message: 'A stronger authentication is required (level elevated)',
      code: 'ERR_ACR_INSUFFICIENT',
      acr_values: `${ACR_ELEVATED} ${ACR_HIGH}`,
      max_age: 300,
      authorization_details: [detail],
    });
  });

  it('1,000.01 at the elevated level without an approval of the transfer is insufficient_authorization', async () => {
    const response = await transfer(await bank.elevated('alice'), 100_001);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(
      /^DPoP realm="bank", error="insufficient_authorization"/,
    );
    expect(await response.json()).toMatchObject({
      code: 'ERR_AUTHORIZATION_DETAILS_MISSING',
      acr_values: `${ACR_ELEVATED} ${ACR_HIGH}`,
      max_age: 300,
    });
  });

  it('1,000.01 approved at the elevated level exactly 300 s ago passes; 301 s ago is too old', async () => {
    const approved = (age: number) =>
      bank.approved('alice', [payment(100_001)], { acr: ACR_ELEVATED, authAge: age });
    expect((await transfer(await approved(300), 100_001)).status).toBe(201);
    const stale = await transfer(await approved(301), 100_001);
    expect(stale.status).toBe(401);
    expect(await stale.json()).toMatchObject({
      code: 'ERR_AUTH_TIME_TOO_OLD',
      acr_values: `${ACR_ELEVATED} ${ACR_HIGH}`,
      max_age: 300,
    });
  });

  it('10,000.00 is the top of the elevated level; 10,000.01 needs the high level, approved', async () => {
    for (const [sub, amount, acr, status] of [
      ['amy', 1_000_000, ACR_ELEVATED, 201],
      ['abe', 1_000_001, ACR_ELEVATED, 401],
      ['abe', 1_000_001, ACR_HIGH, 201],
    ] as const) {
      const { savings, everyday } = await accountsOf(bank, sub);
      const response = await bank.call('/transfers', {
        authorization: await bank.approved(sub, [paymentTo(everyday, amount)], { acr }),
        body: { fromAccountId: savings.id, toAccountId: everyday.id, amount },
        headers: { 'idempotency-key': nextKey() },
      });
      expect([sub, amount, acr, response.status]).toEqual([sub, amount, acr, status]);
      if (status === 401) {
        expect(await response.json()).toMatchObject({
          code: 'ERR_ACR_INSUFFICIENT',
          acr_values: ACR_HIGH,
          max_age: 300,
        });
      }
    }
  });

  it('a payee added in the last 24 hours needs the high level for any amount; an older one is like an own account', async () => {
    const account = (id: string) => ({
      id,
      name: `Payee ${id}`,
      number: `GB29NWBK6016133192${id.slice(-4)}`,
    });
    const fresh = account('pay_fresh_0001');
    const old = account('pay_older_0002');
    for (const [payee, age] of [
      [fresh, 24 * 3600_000 - 1],
      [old, 24 * 3600_000],
    ] as const) {
      await db.query(
        'INSERT INTO payees (id, owner, name, account_number, created_at) VALUES ($1, $2, $3, $4, $5)',
        [payee.id, 'alice', payee.name, payee.number, NOW - age],
      );
    }
    const pay = (authorization: string, to: string) =>
      bank.call('/transfers', {
        authorization,
        body: { fromAccountId: from, toPayeeId: to, amount: 100 },
        headers: { 'idempotency-key': nextKey() },
      });
    const refused = await pay(await bank.elevated('alice'), fresh.id);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({
      code: 'ERR_ACR_INSUFFICIENT',
      acr_values: ACR_HIGH,
      authorization_details: [
        {
          type: 'payment_initiation',
          instructedAmount: { currency: 'EUR', amount: '1.00' },
          creditorName: 'Payee pay_fresh_0001',
          creditorAccount: { iban: fresh.number },
        },
      ],
    });
    const detail = (await (await pay(await bank.standard('alice'), fresh.id)).json()).authorization_details;
    expect((await pay(await bank.approved('alice', detail), fresh.id)).status).toBe(201);
    expect((await pay(await bank.standard('alice'), old.id)).status).toBe(201);
  });

  it('the high level without auth_time is a step-up, not a pass', async () => {
    const response = await transfer(
      await bank.high('alice', 0, { auth_time: undefined, authorization_details: [payment(100_001)] }),
      100_001,
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'ERR_AUTH_TIME_MISSING' });
  });

  it('the high level also satisfies small transfers, whatever its age', async () => {
    expect((await transfer(await bank.high('alice', 86_400), 100)).status).toBe(201);
  });

  it('a token without transfers:write gets 403 insufficient_scope', async () => {
    const response = await transfer(await bank.high('alice', 10, { scope: 'accounts:read' }), 100);
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(
      `DPoP realm="bank", error="insufficient_scope", error_description="The access token lacks a required scope", scope="transfers:write", resource_metadata="${AUDIENCE}/.well-known/oauth-protected-resource", algs="ES256"`,
    );
  });

  it('an amount sent as a string or a fraction cannot dodge the policy: it is refused as invalid', async () => {
    for (const amount of ['500000', 500_000.5, -500_000, 0]) {
      const response = await bank.call('/transfers', {
        authorization: await bank.standard('alice'),
        body: { fromAccountId: from, toAccountId: to, amount },
        headers: { 'idempotency-key': nextKey() },
      });
      expect(response.status, String(amount)).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'ERR_VALIDATION' });
    }
  });

  it('adding a payee needs the high level signed in within 300 s', async () => {
    const body = { name: 'Jo Doe', accountNumber: 'DE89 3704 0044 0532 0130 00' };
    const standard = await bank.call('/payees', { authorization: await bank.standard('alice'), body });
    expect(standard.status).toBe(401);
    expect(await standard.json()).toMatchObject({
      code: 'ERR_ACR_INSUFFICIENT',
      acr_values: ACR_HIGH,
      max_age: 300,
    });
    const stale = await bank.call('/payees', { authorization: await bank.high('alice', 301), body });
    expect(stale.status).toBe(401);
    const fresh = await bank.call('/payees', { authorization: await bank.high('alice', 300), body });
    expect(fresh.status).toBe(201);
    expect(await fresh.json()).toMatchObject({ name: 'Jo Doe', accountNumber: 'DE89370400440532013000' });
  });

  it('listing payees needs only the standard level', async () => {
    const response = await bank.call('/payees', { authorization: await bank.standard('alice') });
    expect(response.status).toBe(200);
  });

  it('an acr the bank does not know is insufficient', async () => {
    const response = await bank.call('/accounts', {
      authorization: await bank.standard('alice', { acr: 'urn:other:acr' }),
    });
    expect(response.status).toBe(401);
    // Levels are ordered: any of the three is accepted, weakest first.
    expect(await response.json()).toMatchObject({
      code: 'ERR_ACR_INSUFFICIENT',
      acr_values: `${ACR_STANDARD} ${ACR_ELEVATED} ${ACR_HIGH}`,
    });
  });
});

describe('step-up policy with the default clock tolerance (30 s)', () => {
  it('maxAge 300 then accepts a sign-in 330 s old and refuses 331 s', async () => {
    const bank = await startTestBank(db);
    try {
      const { savings, everyday } = await accountsOf(bank, 'bob');
      const send = async (age: number) =>
        bank.call('/transfers', {
          authorization: await bank.approved('bob', [paymentTo(everyday, 100_001)], { authAge: age }),
          body: { fromAccountId: savings.id, toAccountId: everyday.id, amount: 100_001 },
          headers: { 'idempotency-key': nextKey() },
        });
      expect((await send(330)).status).toBe(201);
      expect((await send(331)).status).toBe(401);
    } finally {
      await bank.close();
    }
  });
});
