// Hostile and broken WebAuthn input: each gets its status, a stable error and a log line.

import { type Db, openPglite } from '@stepup-example/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accounts } from '../src/accounts/store.js';
import { SoftAuthenticator } from './helpers/authenticator.js';
import { authorize, interactionPath, type Pending, signUp, TestBrowser } from './helpers/client.js';
import { type Bank, startBank } from './helpers/setup.js';

describe('bad WebAuthn input', () => {
  let db: Db;
  let bank: Bank;
  let b: TestBrowser;
  let key: SoftAuthenticator;

  beforeAll(async () => {
    db = await openPglite(undefined);
    bank = await startBank(db, { bodyLimitBytes: 16 * 1024, challengeTtlSeconds: 60 });
    // One customer with a device-bound key (its counter counts up).
    b = new TestBrowser(bank.server.url);
    key = bank.securityKey();
    const pending = await authorize(b);
    expect((await signUp(b, pending, key)).status).toBe(200);
  });
  afterAll(async () => {
    await bank?.close();
    await db?.close();
  });

  /** A fresh browser on a sign-in page (no session), with the options it got. */
  async function signInPage(): Promise<{
    browser: TestBrowser;
    pending: Pending;
    base: string;
    options: never;
  }> {
    const browser = new TestBrowser(bank.server.url);
    const pending = await authorize(browser);
    const base = interactionPath(pending);
    const options = await browser.postJson(`${base}/signin/options`, {});
    expect(options.status).toBe(200);
    return { browser, pending, base, options: options.body as never };
  }

  const lastRefusal = () => bank.logs.filter((l) => l.event === 'request.refused').at(-1)?.fields;

  it('refuses a body that is not JSON (415), unreadable JSON (400) and an oversized one (413)', async () => {
    const { browser, base } = await signInPage();
    const form = await browser.request(`${base}/signin/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'id=abc',
    });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ error: 'unsupported_media_type' });

    const broken = await browser.request(`${base}/signin/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"id":',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: 'invalid_request' });

    const huge = await browser.postJson(`${base}/signin/verify`, { id: 'a'.repeat(20_000) });
    expect(huge).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
    expect(lastRefusal()).toMatchObject({ code: 'ERR_PAYLOAD_TOO_LARGE', status: 413 });
  });

  it('refuses a malformed response (400) without touching the challenge', async () => {
    const { browser, base, options } = await signInPage();
    const answer = key.authenticate(options, browser.origin);
    const malformed = await browser.postJson(`${base}/signin/verify`, { ...answer, type: 'password' });
    expect(malformed).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const notB64 = await browser.postJson(`${base}/signin/verify`, {
      ...answer,
      response: { ...answer.response, signature: 'not base64url!' },
    });
    expect(notB64).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(lastRefusal()).toMatchObject({ code: 'ERR_BAD_REQUEST' });
    // The challenge is still pending: the genuine answer goes through.
    expect((await browser.postJson(`${base}/signin/verify`, answer)).status).toBe(200);
  });

  it('refuses a bad signature (400) and a replayed response (400 challenge_missing)', async () => {
    const { browser, base, options } = await signInPage();
    const answer = key.authenticate(options, browser.origin);
    const signature = Buffer.from(answer.response.signature, 'base64url');
    signature.writeUInt8(signature.readUInt8(signature.length - 1) ^ 0xff, signature.length - 1);
    const forged = await browser.postJson(`${base}/signin/verify`, {
      ...answer,
      response: { ...answer.response, signature: signature.toString('base64url') },
    });
    expect(forged).toMatchObject({ status: 400, body: { error: 'invalid_webauthn_response' } });
    expect(lastRefusal()).toMatchObject({ code: 'ERR_WEBAUTHN_INVALID' });

    // Each challenge is answered once: the forged attempt used it up.
    const replay = await browser.postJson(`${base}/signin/verify`, answer);
    expect(replay).toMatchObject({ status: 400, body: { error: 'challenge_missing' } });

    // A response captured from one sign-in does not open another one (its challenge differs).
    const other = await signInPage();
    const stolen = await other.browser.postJson(`${other.base}/signin/verify`, answer);
    expect(stolen).toMatchObject({ status: 400, body: { error: 'invalid_webauthn_response' } });
  });

  it('refuses an expired challenge (400 challenge_expired)', async () => {
    const { browser, base, options } = await signInPage();
    const answer = key.authenticate(options, browser.origin);
    bank.clock.offsetMs += 61_000;
    try {
      const late = await browser.postJson(`${base}/signin/verify`, answer);
      expect(late).toMatchObject({ status: 400, body: { error: 'challenge_expired' } });
      expect(lastRefusal()).toMatchObject({ code: 'ERR_CHALLENGE_EXPIRED' });
    } finally {
      bank.clock.offsetMs -= 61_000;
    }
  });

  it('refuses a signature counter that goes backwards (401), a sign of a cloned key', async () => {
    const first = await signInPage();
    expect(
      (
        await first.browser.postJson(
          `${first.base}/signin/verify`,
          key.authenticate(first.options, first.browser.origin),
        )
      ).status,
    ).toBe(200);
    const stored = (await accounts.credential(db, String(key.credentials[0]?.id)))?.counter ?? 0;
    expect(stored).toBeGreaterThan(0);
    const { browser, base, options } = await signInPage();
    const answer = key.authenticate(options, browser.origin, { counter: stored - 1 });
    const cloned = await browser.postJson(`${base}/signin/verify`, answer);
    expect(cloned).toMatchObject({ status: 401, body: { error: 'counter_regressed' } });
    expect(lastRefusal()).toMatchObject({ code: 'ERR_COUNTER_REGRESSED', status: 401 });
  });

  it('refuses a passkey the bank does not know (401 unknown_credential)', async () => {
    const { browser, base, options } = await signInPage();
    const stranger = new SoftAuthenticator({ backupEligible: true });
    stranger.register(
      {
        rp: { id: 'localhost', name: 'x' },
        user: { id: 'AAAA', name: 'x', displayName: 'x' },
        challenge: 'AAAA',
      } as never,
      browser.origin,
    );
    const unknown = await browser.postJson(
      `${base}/signin/verify`,
      stranger.authenticate(options, browser.origin),
    );
    expect(unknown).toMatchObject({ status: 401, body: { error: 'unknown_credential' } });
    expect(String(unknown.body.message)).toContain('not registered');
  });

  it('refuses to open an account with an authenticator that does not verify the user (400)', async () => {
    const browser = new TestBrowser(bank.server.url);
    const pending = await authorize(browser);
    const noUv = new SoftAuthenticator({ backupEligible: false, userVerified: false });
    const answer = await signUp(browser, pending, noUv);
    // simplewebauthn already requires UV at registration.
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_webauthn_response' } });
  });

  it('rate-limits sign-in attempts per client address (429 with Retry-After)', async () => {
    // A database of its own: the counts are kept in the database, shared with every server on it.
    const own = await openPglite(undefined);
    const limited = await startBank(own, { rateLimit: { max: 3, windowSeconds: 60 } });
    try {
      const browser = new TestBrowser(limited.server.url);
      const pending = await authorize(browser);
      const base = interactionPath(pending);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await browser.postJson(`${base}/signin/options`, {})).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const blocked = await browser.request(`${base}/signin/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await blocked.json()).toMatchObject({ error: 'rate_limited' });
      expect(limited.logs.some((l) => l.event === 'signin.rate_limited')).toBe(true);
      // The window runs on the real clock (rate-limiter-flexible reads Date.now): a minute later.
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 60_000 });
      expect((await browser.postJson(`${base}/signin/options`, {})).status).toBe(200);
    } finally {
      vi.useRealTimers();
      await limited.close();
      await own.close();
    }
  });

  it('answers an expired or unknown interaction with a clear message', async () => {
    const browser = new TestBrowser(bank.server.url);
    const page = await browser.request('/interaction/does-not-exist');
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('This sign-in has expired');
    const json = await browser.postJson('/interaction/does-not-exist/signin/options', {});
    expect(json).toMatchObject({ status: 400, body: { error: 'interaction_expired' } });
  });
});
