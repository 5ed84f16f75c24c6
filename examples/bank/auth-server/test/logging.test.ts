// What the authorization server writes to its log during a whole sign-in, through the bank's real
// logger (`createLogger` of @stepup-example/observability, pino JSON lines): the events are there, and
// none of the customer's secrets is — no cookie, authorization code, token, TOTP seed or code.
import { createLogger } from '@stepup-example/observability';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACR_ELEVATED } from '../src/assurance.js';
import {
  accessTokenAfter,
  authorize,
  enrolOtp,
  exchange,
  openAccount,
  refresh,
  sendCode,
  TestBrowser,
} from './helpers/client.js';
import { databases } from './helpers/db.js';
import { type Bank, COOLING_OFF_SECONDS, startBank } from './helpers/setup.js';

const [pglite] = databases;

describe('the log of a sign-in', () => {
  const lines: string[] = [];
  let bank: Bank;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const opened = await pglite!.open();
    drop = opened.drop;
    bank = await startBank(opened.db, {
      logger: createLogger({
        name: 'bank-auth',
        destination: { write: (line: string) => lines.push(line) },
      }),
    });
  });
  afterAll(async () => {
    await bank?.close();
    await drop?.();
  });

  it('has the events of a sign-up, a code and a token exchange, and none of their secrets', async () => {
    const code = (secret: string, steps = 0) =>
      TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: bank.clock.now() + steps * 30_000 });
    const b = new TestBrowser(bank.server.url);
    const opened = await openAccount(b, bank.syncedPasskey());
    const enrolled = await enrolOtp(b, (s) => code(s));
    expect(enrolled.verify?.status).toBe(200);
    bank.advance((COOLING_OFF_SECONDS + 60) * 1000);
    const pending = await authorize(b, { acr_values: ACR_ELEVATED, prompt: 'login' });
    const wrong = code(String(enrolled.secret), 7);
    expect((await sendCode(b, pending, wrong)).status).toBe(400);
    const right = code(String(enrolled.secret));
    const { tokens } = await accessTokenAfter(b, pending, await sendCode(b, pending, right));
    // Refusals are logged too: the first code sent with another request's PKCE verifier, a refresh token that is not one.
    const firstCode = String(opened.get('code'));
    expect((await exchange(bank.server.url, pending, firstCode)).status).toBe(400);
    expect(
      (await refresh(bank.server.url, 'bank-web', `${tokens.refresh_token}x`, pending.dpop)).status,
    ).toBe(400);

    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.every((r) => r.name === 'bank-auth' && typeof r.time === 'string')).toBe(true);
    const events = records.map((r) => r.event);
    expect(events).toEqual(
      expect.arrayContaining([
        'account.created',
        'credential.added',
        'request.refused',
        'signin.succeeded',
        'request.completed',
      ]),
    );
    // Every request has its line, with the path only: no query string, no interaction uid.
    const completed = records.filter((r) => r.event === 'request.completed');
    // Each token request is sent twice: first without a nonce (400 use_dpop_nonce), then with it.
    expect(completed.filter((r) => r.path === '/token').map((r) => [r.level, r.status])).toEqual([
      ['warn', 400],
      ['info', 200],
      ['warn', 400],
      ['warn', 400],
      ['warn', 400],
      ['warn', 400],
    ]);
    expect(completed.map((r) => r.path)).toContain('/interaction/:uid/code/verify');
    expect(completed.every((r) => !String(r.path).includes('?'))).toBe(true);
    const log = lines.join('');
    const secrets = {
      'authorization code (first)': firstCode,
      'access token': String(tokens.access_token),
      'refresh token': String(tokens.refresh_token),
      'id token': String(tokens.id_token),
      'TOTP seed': String(enrolled.secret),
      ...Object.fromEntries([...b.jar].map(([name, value]) => [`cookie ${name}`, value])),
    };
    expect(Object.keys(secrets).filter((name) => name.startsWith('cookie ')).length).toBeGreaterThan(2);
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length, name).toBeGreaterThan(8);
      expect(log.includes(secret), `${name} in the log`).toBe(false);
    }
    // Six digits could occur inside a number by chance: a code is looked for as a number of its own.
    for (const otp of [wrong, right]) expect(log).not.toMatch(new RegExp(`(?<![0-9])${otp}(?![0-9])`));
  });
});
