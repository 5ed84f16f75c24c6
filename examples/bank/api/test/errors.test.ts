import { createTestIssuer } from '@stepup/core/testing';
import { stepUpExpress } from '@stepup/express';
import { BANK_LEVELS, bankPolicy, createBankApp, type Db } from '@stepup-example/api';
import { ACR_HIGH, ErrorBody } from '@stepup-example/contract';
import { watchReadiness } from '@stepup-example/db';
import { silentLogger } from '@stepup-example/observability';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIENCE, ISSUER, NOW, WEB_ORIGIN } from './helpers/bank.js';
import { DATABASES } from './helpers/db.js';
import { listen } from './helpers/listen.js';

// A bug in a policy (a computed requirement naming a level the bank does not have) is the core's
// thrown ERR_POLICY_INVALID: the API's own fault, answered 500 with the generic message, never as a
// denial with the core's code and text.
describe('the error handler', () => {
  let db: Db;
  let drop: () => Promise<void>;
  let url: string;
  let close: () => Promise<void>;
  let authorization: string;
  const logged: { event: string; fields: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    ({ db, drop } = await DATABASES[0]!.open());
    const issuer = await createTestIssuer({ issuer: ISSUER, audience: AUDIENCE, now: () => NOW });
    authorization = await issuer.authorization({
      sub: 'ana',
      acr: ACR_HIGH,
      auth_time: issuer.now() - 60,
      scope: 'accounts:read transfers:write payees:write',
    });
    const stepUp = stepUpExpress({
      issuers: [issuer.config()],
      levels: BANK_LEVELS,
      operations: {
        ...bankPolicy({ db, now: () => NOW, logger: silentLogger, origin: AUDIENCE, resource: AUDIENCE })
          .operations,
        'transfers:create': () => ({ level: 'platinum' }),
      },
      realm: 'bank',
      now: () => NOW,
      exposeChallenge: true,
      forwardDenials: true,
      metadata: { resource: AUDIENCE },
    });
    const readiness = watchReadiness({ checks: [], intervalMs: 0 });
    const record = (event: string, fields: Record<string, unknown> = {}) =>
      void logged.push({ event, fields });
    const app = createBankApp(
      {
        db,
        stepUp,
        now: () => NOW,
        logger: { info: record, warn: record, error: record },
        readiness,
        ensureCustomer: async () => {},
      },
      { webOrigins: [WEB_ORIGIN], bodyLimitBytes: 16 * 1024 },
    );
    ({ url, close } = await listen(app));
  });
  afterAll(async () => {
    await close();
    await drop();
  });

  it('answers a thrown ERR_POLICY_INVALID 500 ERR_INTERNAL with the generic message, and logs it', async () => {
    const response = await fetch(`${url}/transfers`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json', origin: WEB_ORIGIN },
      body: JSON.stringify({ fromAccountId: 'a', toAccountId: 'b', amount: 1 }),
    });
    expect([response.status, await response.json()]).toEqual([
      500,
      { code: 'ERR_INTERNAL', message: 'Something went wrong on our side.' },
    ]);
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect(response.headers.get('cache-control')).toBe('no-store');
    const failure = logged.find((l) => l.event === 'request.failed');
    expect(failure?.fields).toMatchObject({
      method: 'POST',
      path: '/transfers',
      error: expect.objectContaining({ name: 'StepUpError', code: 'ERR_POLICY_INVALID' }),
    });
  });

  it('still answers a rendered denial with its status, challenge and the contract’s body', async () => {
    const response = await fetch(`${url}/accounts`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer realm="bank", resource_metadata="${AUDIENCE}/.well-known/oauth-protected-resource"`,
    );
    expect(ErrorBody.parse(await response.json())).toEqual({
      code: 'ERR_TOKEN_MISSING',
      message: 'Authentication required',
      error_description: 'Authentication required',
    });
  });
});
