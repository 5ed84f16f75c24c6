// Two authorization servers on one PostgreSQL, as a deployment with several instances runs them: the
// limits are the database's, not each process's. A customer's wrong one-time codes count once across
// both, and so do a client address's sign-in attempts.
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requires } from '../../../../test/services.js';
import { ACR_ELEVATED } from '../src/assurance.js';
import {
  authorize,
  enrolOtp,
  interactionPath,
  openAccount,
  sendCode,
  signIn,
  TestBrowser,
} from './helpers/client.js';
import { databases } from './helpers/db.js';
import { type Bank, COOLING_OFF_SECONDS, startBank } from './helpers/setup.js';

const postgres = databases.find((database) => database.name === 'PostgreSQL');

describe('two servers on one PostgreSQL', requires('postgres'), () => {
  const opened: { drop(): Promise<void> }[] = [];
  const banks: Bank[] = [];

  /** Two servers on a fresh database (a schema of its own), with the options given. */
  async function twoServers(options: Parameters<typeof startBank>[1] = {}): Promise<[Bank, Bank]> {
    if (postgres === undefined) throw new Error('DATABASE_URL is not set');
    const { db, drop } = await postgres.open();
    opened.push({ drop });
    const a = await startBank(db, options);
    banks.push(a);
    const b = await startBank(db, options);
    banks.push(b);
    return [a, b];
  }

  beforeAll(() => {
    expect(postgres?.name).toBe('PostgreSQL');
  });
  afterAll(async () => {
    for (const bank of banks) await bank.close();
    for (const database of opened) await database.drop();
  });

  it('share the budget of wrong one-time codes: three on one and two on the other lock the account on both', async () => {
    const [a, b] = await twoServers();
    const code = (secret: string, steps = 0) =>
      TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: a.clock.now() + steps * 30_000 });
    const passkey = a.syncedPasskey();
    const onA = new TestBrowser(a.server.url);
    await openAccount(onA, passkey);
    const { secret, verify } = await enrolOtp(onA, (s) => code(s));
    expect(verify?.status).toBe(200);
    const app = String(secret);
    // Past the app's cooling-off period on both servers' clocks.
    for (const bank of [a, b]) bank.advance((COOLING_OFF_SECONDS + 60) * 1000);

    const atA = await authorize(onA, { acr_values: ACR_ELEVATED, prompt: 'login' });
    for (let i = 1; i <= 3; i++) {
      expect(await sendCode(onA, atA, code(app, 20 + i))).toMatchObject({
        status: 400,
        body: { error: 'invalid_code' },
      });
    }
    const onB = new TestBrowser(b.server.url);
    const atB = await authorize(onB, { acr_values: ACR_ELEVATED });
    expect(await signIn(onB, atB, passkey)).toMatchObject({ status: 200, body: { next: 'code' } });
    expect(await sendCode(onB, atB, code(app, 24))).toMatchObject({
      status: 400,
      body: { error: 'invalid_code' },
    });
    const fifth = await onB.request(`${interactionPath(atB)}/code/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: code(app, 25) }),
    });
    expect(fifth.status).toBe(429);
    expect(await fifth.json()).toMatchObject({ error: 'too_many_codes' });
    expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(0);
    // Locked on the first server too: even the right code is refused there now.
    expect(await sendCode(onA, atA, code(app))).toMatchObject({
      status: 429,
      body: { error: 'too_many_codes' },
    });
  });

  it("share a client address's sign-in attempts", async () => {
    const [a, b] = await twoServers({ rateLimit: { max: 3, windowSeconds: 60 } });
    const statuses: number[] = [];
    for (const bank of [a, b, a, b]) {
      const browser = new TestBrowser(bank.server.url);
      // The authorization request itself is the provider's, not limited; the sign-in options are.
      const pending = await authorize(browser);
      statuses.push((await browser.postJson(`${interactionPath(pending)}/signin/options`, {})).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
