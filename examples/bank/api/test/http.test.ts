import { type Db, startBankApi } from '@stepup-example/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIENCE,
  accountsOf,
  ISSUER,
  NOW,
  proofAt,
  startTestBank,
  type TestBank,
  WEB_ORIGIN,
} from './helpers/bank.js';
import { DATABASES } from './helpers/db.js';

describe('the API over HTTP', () => {
  let db: Db;
  let drop: () => Promise<void>;
  let bank: TestBank;

  beforeAll(async () => {
    ({ db, drop } = await DATABASES[0]!.open());
    bank = await startTestBank(db);
  });
  afterAll(async () => {
    await bank.close();
    await drop();
  });

  const corsHeaders = (response: Response) => {
    const found: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (name.startsWith('access-control')) found[name] = value;
    });
    return found;
  };

  it('answers CORS preflights for the web origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${bank.api.url}/transfers`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, dpop, content-type, idempotency-key',
        },
      });
    const allowed = await preflight(WEB_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(corsHeaders(allowed)).toEqual({
      'access-control-allow-origin': WEB_ORIGIN,
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'Authorization,DPoP,Content-Type,Idempotency-Key',
      'access-control-expose-headers': 'WWW-Authenticate,DPoP-Nonce,Retry-After,Idempotent-Replayed',
      'access-control-max-age': '600',
    });
    expect(allowed.headers.get('vary')).toContain('Origin');
    const other = await preflight('http://evil.localhost:5173');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets the web origin read the challenge, a DPoP nonce, Retry-After and Idempotent-Replayed, never with credentials', async () => {
    const asked = (origin: string) => bank.call('/accounts', { headers: { origin } });
    const allowed = await asked(WEB_ORIGIN);
    expect(allowed.status).toBe(401);
    expect(corsHeaders(allowed)).toEqual({
      'access-control-allow-origin': WEB_ORIGIN,
      'access-control-expose-headers': 'WWW-Authenticate,DPoP-Nonce,Retry-After,Idempotent-Replayed',
    });
    expect(corsHeaders(await asked('http://localhost:5174'))['access-control-allow-origin']).toBeUndefined();
  });

  it('sends helmet’s security headers, with a policy that lets nothing load from an answer', async () => {
    const response = await bank.call('/health/live');
    expect({
      csp: response.headers.get('content-security-policy'),
      nosniff: response.headers.get('x-content-type-options'),
      frames: response.headers.get('x-frame-options'),
      referrer: response.headers.get('referrer-policy'),
      corp: response.headers.get('cross-origin-resource-policy'),
      poweredBy: response.headers.get('x-powered-by'),
    }).toEqual({
      csp: "default-src 'none';frame-ancestors 'none'",
      nosniff: 'nosniff',
      frames: 'SAMEORIGIN',
      referrer: 'no-referrer',
      corp: 'same-origin',
      poweredBy: null,
    });
  });

  it('refuses a web origin that is not an origin before listening', async () => {
    for (const origin of ['*', 'http://localhost:5173/', 'localhost:5173', 'ftp://localhost']) {
      await expect(startBankApi({ port: 0, db, webOrigins: [origin] })).rejects.toMatchObject({
        code: 'ERR_CONFIG',
        message: expect.stringContaining('webOrigins'),
      });
    }
  });

  it('needs an Idempotency-Key of visible characters on transfers', async () => {
    const { everyday, savings } = await accountsOf(bank, 'nina');
    const body = { fromAccountId: everyday.id, toAccountId: savings.id, amount: 1 };
    const authorization = await bank.standard('nina');
    const missing = await bank.call('/transfers', { authorization, body });
    expect([missing.status, (await missing.json()).code]).toEqual([400, 'ERR_IDEMPOTENCY_KEY_MISSING']);
    const invalid = await bank.call('/transfers', {
      authorization,
      body,
      headers: { 'idempotency-key': 'a b' },
    });
    expect([invalid.status, (await invalid.json()).code]).toEqual([400, 'ERR_IDEMPOTENCY_KEY_INVALID']);
  });

  it('validates bodies with field-level details', async () => {
    const response = await bank.call('/transfers', {
      authorization: await bank.standard('nina'),
      body: { fromAccountId: 'a', toAccountId: 'b', toPayeeId: 'c', amount: 1, extra: true },
      headers: { 'idempotency-key': 'k' },
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.code).toBe('ERR_VALIDATION');
    expect(body.message).toBe('The transfer is not valid.');
    expect(body.details).toContainEqual({ path: '', message: expect.stringContaining('extra') });
  });

  it('answers malformed JSON 400 and an oversized body 413, as JSON', async () => {
    const authorization = await bank.standard('nina');
    const malformed = await bank.call('/transfers', { authorization, body: '{"amount":' });
    expect([malformed.status, await malformed.json()]).toEqual([
      400,
      { code: 'ERR_BODY_MALFORMED', message: 'The request body is not valid JSON.' },
    ]);
    const large = await bank.call('/transfers', { authorization, body: { description: 'x'.repeat(20_000) } });
    expect([large.status, (await large.json()).code]).toEqual([413, 'ERR_BODY_TOO_LARGE']);
  });

  it('answers unknown routes 404 JSON, and reading another customer’s history 404', async () => {
    const unknown = await bank.call('/nope');
    expect([unknown.status, await unknown.json()]).toEqual([
      404,
      { code: 'ERR_NOT_FOUND', message: 'No such endpoint.' },
    ]);
    const { everyday } = await accountsOf(bank, 'nina');
    const foreign = await bank.call(`/accounts/${everyday.id}/transactions`, {
      authorization: await bank.standard('otto'),
    });
    expect([foreign.status, (await foreign.json()).code]).toEqual([404, 'ERR_ACCOUNT_NOT_FOUND']);
    const badLimit = await bank.call(`/accounts/${everyday.id}/transactions?limit=0`, {
      authorization: await bank.standard('nina'),
    });
    expect([badLimit.status, (await badLimit.json()).code]).toEqual([400, 'ERR_VALIDATION']);
  });

  it('publishes its RFC 9728 metadata, liveness and readiness', async () => {
    const metadata = await bank.call('/.well-known/oauth-protected-resource');
    expect(metadata.status).toBe(200);
    expect(metadata.headers.get('access-control-allow-origin')).toBe('*');
    expect(await metadata.json()).toEqual({
      resource: AUDIENCE,
      authorization_servers: [ISSUER],
      scopes_supported: ['accounts:read', 'transfers:write', 'payees:write'],
      resource_name: 'Stepup Bank API',
      bearer_methods_supported: ['header'],
      dpop_signing_alg_values_supported: ['ES256'],
      dpop_bound_access_tokens_required: true,
    });
    const live = await bank.call('/health/live');
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
    for (const path of ['/health', '/health/ready']) {
      const ready = await bank.call(path);
      expect([ready.status, ready.headers.get('cache-control'), await ready.json()]).toEqual([
        200,
        'no-store',
        { status: 'ready', dependencies: { database: 'up' } },
      ]);
    }
  });

  it('keeps its data across a restart on the same database', async () => {
    const { everyday } = await accountsOf(bank, 'pia');
    const second = await startBankApi({
      port: 0,
      db,
      issuer: bank.issuer.config(),
      now: () => Date.parse('2026-03-02T10:00:00Z'),
    });
    try {
      const authorization = await bank.standard('pia');
      const proof = await proofAt(NOW, bank.key, `${AUDIENCE}/accounts`, 'GET', authorization.slice(5));
      const response = await fetch(`${second.url}/accounts`, { headers: { authorization, dpop: proof } });
      expect((await response.json()).accounts[0]).toMatchObject({
        id: everyday.id,
        balance: everyday.balance,
      });
    } finally {
      await second.close();
    }
  });

  it('refuses bad options before listening', async () => {
    await expect(startBankApi({ port: 0, db, bodyLimitBytes: 10 })).rejects.toMatchObject({
      code: 'ERR_CONFIG',
    });
    await expect(
      startBankApi({ port: 0, db, issuer: { issuer: ISSUER, audience: AUDIENCE, jwksUri: 'ftp://x/jwks' } }),
    ).rejects.toMatchObject({ code: 'ERR_CONFIG_INVALID' });
  });
});
