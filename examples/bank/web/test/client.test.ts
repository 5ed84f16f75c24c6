// The web client's API calls against the real API: answers are read with the contract's strict
// schemas (so the API and the contract cannot drift), every error the API sends has the contract's
// one error-body shape, and the RFC 9470 challenge goes through oauth4webapi's parser
// (WWWAuthenticateChallengeError) and comes out as a step-up to explain. Every call is DPoP-bound (RFC
// 9449): the tokens carry the thumbprint of a non-extractable key made as the app makes it, and the
// client proves it with oauth4webapi's DPoP handle.
import { createServer } from 'node:net';
import { createTestIssuer } from '@stepup/core/testing';
import { openPglite, startBankApi } from '@stepup-example/api';
import { ACR_ELEVATED, ACR_HIGH, ACR_STANDARD, ErrorBody, STEP_UP_MAX_AGE } from '@stepup-example/contract';
import * as dpop from 'dpop';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransferAction } from '../src/actions.js';
import { BankApi } from '../src/api/client.js';
import { ApiError, SignInRequired, StepUpRequired, Unreachable } from '../src/api/errors.js';
import { generateDpopKeyPair } from '../src/auth/dpop-key.js';
import { moneyFormat } from '../src/money/format-money.js';
import { explain } from '../src/stepup.js';

const ISSUER = 'http://localhost:4000';
const money = moneyFormat('en-US');

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('the web client against the API', () => {
  let api: Awaited<ReturnType<typeof startBankApi>>;
  let issuer: Awaited<ReturnType<typeof createTestIssuer>>;
  let db: Awaited<ReturnType<typeof openPglite>>;
  let keyPair: CryptoKeyPair;
  let jkt: string;
  let handle: oauth.DPoPHandle;

  beforeAll(async () => {
    // The API's public origin is where the client calls it (the proofs' htu): a port chosen first.
    const port = await closedPort();
    const audience = `http://localhost:${port}`;
    issuer = await createTestIssuer({ issuer: ISSUER, audience });
    db = await openPglite(undefined);
    api = await startBankApi({ port, db, issuer: issuer.config() });
    keyPair = await generateDpopKeyPair();
    jkt = await dpop.calculateThumbprint(keyPair.publicKey);
    handle = oauth.DPoP({}, keyPair);
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
  });

  const token = (acr: string, sub = 'web-user', details?: readonly object[]) =>
    issuer.mint({
      sub,
      acr,
      auth_time: issuer.now() - 10,
      scope: 'accounts:read transfers:write payees:write',
      cnf: { jkt },
      ...(details === undefined ? {} : { authorization_details: details }),
    });
  const client = (acr: string, sub?: string, details?: readonly object[]) =>
    new BankApi(
      api.url,
      () => token(acr, sub, details),
      async () => handle,
    );

  it('makes a non-extractable ES256 key, and proves it on every call (Authorization: DPoP and a DPoP proof)', async () => {
    expect(keyPair.privateKey).toMatchObject({
      type: 'private',
      extractable: false,
      algorithm: { name: 'ECDSA', namedCurve: 'P-256' },
    });
    await expect(crypto.subtle.exportKey('jwk', keyPair.privateKey)).rejects.toThrow();
    const seen: Headers[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (input, init) => {
      seen.push(new Headers(init?.headers));
      return realFetch(input, init);
    };
    try {
      await client(ACR_STANDARD, 'prover').accounts();
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]?.get('authorization')).toMatch(/^DPoP ey/);
    const proof = String(seen[0]?.get('dpop'));
    const [header, claims] = proof
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256' } });
    expect(header.jwk).not.toHaveProperty('d');
    expect(claims).toMatchObject({ htm: 'GET', htu: `${api.url}/accounts` });
  });

  it('is refused with a key the token is not bound to: sign in again', async () => {
    const other = oauth.DPoP({}, await generateDpopKeyPair());
    const wrong = new BankApi(
      api.url,
      () => token(ACR_STANDARD),
      async () => other,
    );
    await expect(wrong.accounts()).rejects.toBeInstanceOf(SignInRequired);
  });

  it('reads every answer with the contract’s strict schemas', async () => {
    const high = client(ACR_HIGH, 'reader');
    const accounts = await high.accounts();
    expect(accounts.map((a) => [a.name, a.balance, a.currency])).toEqual([
      ['Everyday account', 260_940, 'EUR'],
      ['Savings account', 1_200_000, 'EUR'],
    ]);
    const history = await high.transactions(accounts[0]!.id);
    expect(history.length).toBeGreaterThan(0);
    const payee = await high.addPayee({ name: ' City Water ', accountNumber: 'gb29 nwbk 6016 1331 9268 19' });
    expect(payee).toMatchObject({ name: 'City Water', accountNumber: 'GB29NWBK60161331926819' });
    expect(await high.payees()).toEqual([payee]);
    // A payee added today: even 1.50 is approved on its own, at the high level.
    const approved = client(ACR_HIGH, 'reader', [
      {
        type: 'payment_initiation',
        instructedAmount: { currency: 'EUR', amount: '1.50' },
        creditorName: 'City Water',
        creditorAccount: { iban: 'GB29NWBK60161331926819' },
      },
    ]);
    const sent = await approved.transfer(
      { fromAccountId: accounts[0]!.id, toPayeeId: payee.id, amount: 150 },
      'r-1',
    );
    expect(sent).toMatchObject({ status: 'completed', amount: 150, toPayeeId: payee.id, toAccountId: null });
  });

  it('turns a step-up challenge into StepUpRequired with what to ask the authorization server', async () => {
    const standard = client(ACR_STANDARD);
    const [everyday, savings] = await standard.accounts();
    const request = {
      fromAccountId: savings!.id,
      toAccountId: everyday!.id,
      amount: 500_000,
      description: '',
    };
    const error = await standard.transfer(request, 'web-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepUpRequired);
    const challenge = (error as StepUpRequired).challenge;
    const detail = {
      type: 'payment_initiation',
      instructedAmount: { currency: 'EUR', amount: '5000.00' },
      creditorName: 'Everyday account',
      creditorAccount: { iban: everyday!.number.replaceAll(' ', '') },
    };
    expect(challenge).toEqual({
      acrValues: [ACR_ELEVATED, ACR_HIGH],
      maxAge: STEP_UP_MAX_AGE,
      code: 'ERR_ACR_INSUFFICIENT',
      authorizationDetails: [detail],
    });
    const action: TransferAction = {
      kind: 'transfer',
      key: 'web-1',
      request,
      currency: 'EUR',
      toName: 'Everyday account',
    };
    expect(explain(action, challenge, { money, sessionAcr: ACR_STANDARD })).toEqual({
      title: 'Confirm with your passkey and one-time code',
      text: 'Transfers over €1,000.00 need your passkey and one-time code, used in the last 5 minutes. Your passkey alone is not enough for this.',
      continueLabel: 'Continue with passkey and one-time code',
    });
    // An elevated token that approved nothing: the approval of this transfer is what is missing.
    const unbound = await client(ACR_ELEVATED)
      .transfer(request, 'web-1')
      .catch((e: unknown) => e);
    expect((unbound as StepUpRequired).challenge).toMatchObject({
      code: 'ERR_AUTHORIZATION_DETAILS_MISSING',
      authorizationDetails: [detail],
    });
    expect(
      explain(action, (unbound as StepUpRequired).challenge, { money, sessionAcr: ACR_ELEVATED }).title,
    ).toBe('Approve this transfer');
    // After the approval (one token, as the app holds it), the same key goes through once, and its
    // retry is answered again.
    const once = await token(ACR_ELEVATED, undefined, [detail]);
    const approved = new BankApi(
      api.url,
      async () => once,
      async () => handle,
    );
    const done = await approved.transfer(request, 'web-1');
    expect(done).toMatchObject({ status: 'completed', amount: 500_000 });
    expect((await approved.transfer(request, 'web-1')).id).toBe(done.id);
    // The same approval for another transfer (another key) is used up.
    const again = await approved.transfer(request, 'web-9').catch((e: unknown) => e);
    expect((again as StepUpRequired).challenge.code).toBe('ERR_AUTHORIZATION_DETAILS_USED');
  });

  it('reports other failures with the API’s code and message', async () => {
    const standard = client(ACR_STANDARD);
    const [everyday] = await standard.accounts();
    const request = { fromAccountId: everyday!.id, toAccountId: everyday!.id, amount: 1, description: '' };
    await expect(standard.transfer(request, 'web-2')).rejects.toEqual(
      new ApiError(422, 'ERR_SAME_ACCOUNT', 'An account cannot pay itself.'),
    );
    const broken = new BankApi(
      api.url,
      async () => 'not-a-token',
      async () => handle,
    );
    await expect(broken.accounts()).rejects.toBeInstanceOf(SignInRequired);
  });

  it('says Unreachable when there is no answer at all', async () => {
    const nowhere = new BankApi(
      `http://localhost:${await closedPort()}`,
      () => token(ACR_HIGH),
      async () => handle,
    );
    await expect(nowhere.accounts()).rejects.toBeInstanceOf(Unreachable);
  });

  it('sends every error in the contract’s one error-body shape', async () => {
    const bound = await token(ACR_STANDARD);
    const authorization = `DPoP ${bound}`;
    const json = { authorization, 'content-type': 'application/json' };
    const [everyday, savings] = await client(ACR_STANDARD).accounts();
    const cases: [string, RequestInit, number, string][] = [
      ['/transfers', { method: 'POST', headers: json, body: '{"amount":"5"}' }, 400, 'ERR_VALIDATION'],
      ['/transfers', { method: 'POST', headers: json, body: '{' }, 400, 'ERR_BODY_MALFORMED'],
      [
        '/transfers',
        {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ fromAccountId: everyday!.id, toAccountId: 'x', amount: 5 }),
        },
        400,
        'ERR_IDEMPOTENCY_KEY_MISSING',
      ],
      ['/accounts/nope/transactions', { headers: { authorization } }, 404, 'ERR_ACCOUNT_NOT_FOUND'],
      ['/nowhere', { headers: { authorization } }, 404, 'ERR_NOT_FOUND'],
      ['/accounts', {}, 401, 'ERR_TOKEN_MISSING'],
      ['/accounts', { headers: { authorization: `Bearer ${bound}` } }, 401, 'ERR_DPOP_REQUIRED'],
      ['/accounts', { headers: { authorization: 'DPoP nope' } }, 401, 'ERR_TOKEN_MALFORMED'],
      ['/payees', { method: 'POST', headers: json, body: '{}' }, 401, 'ERR_ACR_INSUFFICIENT'],
      [
        '/transfers',
        {
          method: 'POST',
          headers: { ...json, 'idempotency-key': 'bound-1' },
          body: JSON.stringify({ fromAccountId: everyday!.id, toAccountId: savings!.id, amount: 200_000 }),
        },
        401,
        'ERR_ACR_INSUFFICIENT',
      ],
    ];
    for (const [path, init, status, code] of cases) {
      // A fresh proof for each DPoP request, of the key and for the token it carries.
      const headers = new Headers(init.headers);
      const scheme = headers.get('authorization')?.split(' ');
      if (scheme?.[0] === 'DPoP') {
        const htu = `${api.url}${path.split('?')[0]}`;
        headers.set(
          'dpop',
          await dpop.generateProof(keyPair, htu, init.method ?? 'GET', undefined, scheme[1]),
        );
      }
      const response = await fetch(`${api.url}${path}`, { ...init, headers });
      const body = ErrorBody.parse(await response.json());
      expect([path, response.status, body.code]).toEqual([path, status, code]);
    }
  });
});
