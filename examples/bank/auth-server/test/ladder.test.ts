// The risk ladder at the authorization server, over HTTP against the real provider: authenticator
// apps (enrolment with a QR code, the seed sealed at rest, the cooling-off period, codes good once,
// wrong codes limited), and the next factor picked for the elevated level from what the session has.
// Codes are made here with otpauth, as a customer's authenticator app makes them.
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { postgresVariant } from '../../../../test/services.js';
import { ACR_ELEVATED, ACR_HIGH, ACR_STANDARD } from '../src/assurance.js';
import type { SoftAuthenticator } from './helpers/authenticator.js';
import {
  accessTokenAfter,
  addCredential,
  authorize,
  enrolOtp,
  finish,
  interactionPath,
  openAccount,
  sendCode,
  settingsSignIn,
  signIn,
  TestBrowser,
} from './helpers/client.js';
import { databases } from './helpers/db.js';
import { bankForSuite, COOLING_OFF_SECONDS } from './helpers/setup.js';

const COOLING_OFF_MS = COOLING_OFF_SECONDS * 1000;

describe.each(databases)('the risk ladder on $name', (database) => {
  const suite = bankForSuite(database);
  const browser = () => new TestBrowser(suite.bank.server.url);
  /** The code an authenticator app shows for `secret` on the server's clock, `steps` periods away. */
  const code = (secret: string, steps = 0) =>
    TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: suite.bank.clock.now() + steps * 30_000 });

  /** An account opened with a synced passkey, with an authenticator app past its cooling-off period. */
  async function customerWithApp(passkey: SoftAuthenticator = suite.bank.syncedPasskey()) {
    const b = browser();
    await openAccount(b, passkey);
    const { secret, verify } = await enrolOtp(b, (s) => code(s));
    expect(verify?.status).toBe(200);
    suite.bank.advance(COOLING_OFF_MS + 60_000); // past the cooling-off, and on a step of its own
    return { b, passkey, secret: String(secret) };
  }

  it('enrols an authenticator app with a QR code, seals its seed at rest, and keeps it pending after a standard session', async () => {
    const b = browser();
    await openAccount(b, suite.bank.syncedPasskey());
    const options = await b.postJson('/account/otp/options', {});
    expect(options.status).toBe(200);
    const secret = String(options.body.secret);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(String(options.body.qr)).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(String(options.body.qr).split(',')[1] ?? '', 'base64').toString()).toContain('<svg');
    const uri = new URL(String(options.body.uri));
    expect([uri.protocol, uri.host, uri.searchParams.get('issuer'), uri.searchParams.get('secret')]).toEqual([
      'otpauth:',
      'totp',
      'Stepup Bank',
      secret,
    ]);
    expect(await b.postJson('/account/otp/verify', { code: code(secret, 5) })).toMatchObject({
      status: 400,
      body: { error: 'invalid_code' },
    });
    // The failed verify used the pending enrolment up: start again.
    const again = await enrolOtp(b, (s) => code(s));
    const added = again.verify!;
    expect(added.status).toBe(200);
    const addedAt = suite.bank.clock.now();
    expect(Date.parse(String(added.body.activeAt)) - addedAt).toBeGreaterThan(COOLING_OFF_MS - 5000);
    const { rows } = await suite.db.query('SELECT secret FROM otp_factors WHERE id = $1', [added.body.id]);
    const sealed = String((rows[0] as { secret: string }).secret);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain(String(again.secret));
    expect(await b.postJson('/account/otp/options', {})).toMatchObject({
      status: 409,
      body: { error: 'second_factor_exists' },
    });
    // Every sign-in names the new app until it is active.
    const page = await (await b.request((await authorize(b, { prompt: 'login' })).location)).text();
    expect(page).toContain('An authenticator app was added to your account');
  });

  it('asks only for the code on top of a standard passkey session: elevated acr, amr with otp, a fresh auth_time', async () => {
    const { b, secret } = await customerWithApp();
    const pending = await authorize(b, { acr_values: ACR_ELEVATED, max_age: '300' });
    const page = await (await b.request(pending.location)).text();
    expect(page).toContain('data-step="code"');
    expect(page).toContain('Extra security check: Elevated level.');
    expect(page).not.toContain('data-action="signin"');
    const before = Math.floor(suite.bank.clock.now() / 1000);
    const { claims } = await accessTokenAfter(b, pending, await sendCode(b, pending, code(secret)));
    expect(claims).toMatchObject({ acr: ACR_ELEVATED, amr: ['mfa', 'swk', 'otp'] });
    expect(Number(claims.auth_time)).toBeGreaterThanOrEqual(before);
    // The session is elevated now: a later elevated request needs nothing more.
    const sso = await authorize(b, { acr_values: ACR_ELEVATED });
    expect(new URL(sso.location).searchParams.get('code')).toBeTruthy();
  });

  it('refuses a code used before, also across interactions, and limits wrong codes per account', async () => {
    const { b, secret } = await customerWithApp();
    const first = await authorize(b, { acr_values: ACR_ELEVATED, prompt: 'login' });
    const used = code(secret);
    // prompt=login asks for a fresh sign-in: here the code on top of the session.
    expect((await sendCode(b, first, used)).status).toBe(200);
    const second = await authorize(b, { acr_values: ACR_ELEVATED, prompt: 'login' });
    expect(await sendCode(b, second, used)).toMatchObject({ status: 400, body: { error: 'code_used' } });
    for (let i = 1; i <= 4; i++) {
      expect(await sendCode(b, second, code(secret, 20 + i))).toMatchObject({
        status: 400,
        body: { error: 'invalid_code' },
      });
    }
    const fifth = await b.request(`${interactionPath(second)}/code/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: code(secret, 30) }),
    });
    expect(fifth.status).toBe(429);
    expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(0);
    // Locked: even the right code is refused now.
    suite.bank.advance(30_000);
    expect(await sendCode(b, second, code(secret))).toMatchObject({
      status: 429,
      body: { error: 'too_many_codes' },
    });
  });

  it('asks a customer without a session for the passkey first, then the code', async () => {
    const { passkey, secret } = await customerWithApp();
    const fresh = browser();
    const pending = await authorize(fresh, { acr_values: ACR_ELEVATED });
    const early = await sendCode(fresh, pending, code(secret));
    expect(early).toMatchObject({ status: 409, body: { error: 'wrong_step' } });
    const first = await signIn(fresh, pending, passkey);
    expect(first).toMatchObject({ status: 200, body: { next: 'code' } });
    const { claims } = await accessTokenAfter(fresh, pending, await sendCode(fresh, pending, code(secret)));
    expect(claims).toMatchObject({ acr: ACR_ELEVATED, amr: ['mfa', 'swk', 'otp'] });
  });

  it('needs nothing more when the session is high, and takes the security key alone when there is no app', async () => {
    const b = browser();
    const key = suite.bank.securityKey();
    await openAccount(b, key); // opened with the key: a high session
    const sso = await authorize(b, { acr_values: ACR_ELEVATED });
    const { claims } = await accessTokenAfter(b, sso, {
      status: 200,
      body: { redirectTo: sso.location },
    });
    expect(claims.acr).toBe(ACR_HIGH);
    // A stale session: the security key again (no app to offer a code from).
    const stale = await authorize(b, { acr_values: ACR_ELEVATED, prompt: 'login' });
    expect(await (await b.request(stale.location)).text()).toContain('Use your security key');
    const { claims: again } = await accessTokenAfter(b, stale, await signIn(b, stale, key));
    expect(again).toMatchObject({ acr: ACR_HIGH, amr: ['mfa', 'hwk'] });
  });

  it('renews only the elevated level with a code on top of a stale high session', async () => {
    const key = suite.bank.securityKey();
    const b = browser();
    await openAccount(b, key);
    const { secret } = await enrolOtp(b, (s) => code(s)); // from the high session: active at once
    suite.bank.advance(60_000);
    const pending = await authorize(b, { acr_values: ACR_ELEVATED, prompt: 'login' });
    const { claims } = await accessTokenAfter(b, pending, await sendCode(b, pending, code(String(secret))));
    expect(claims).toMatchObject({ acr: ACR_ELEVATED, amr: ['mfa', 'hwk', 'otp'] });
  });

  it('gives a customer with no second factor a clear way out, and one whose app is pending its activation time', async () => {
    const b = browser();
    await openAccount(b, suite.bank.syncedPasskey());
    const pending = await authorize(b, { acr_values: ACR_ELEVATED });
    const page = await (await b.request(pending.location)).text();
    expect(page).toContain('You cannot reach the Elevated level yet.');
    expect(page).toContain('add an authenticator app');
    expect(page).toContain('data-reason="unmet"');
    expect(await b.postJson(`${interactionPath(pending)}/signin/options`, {})).toMatchObject({
      status: 403,
      body: { error: 'second_factor_missing' },
    });
    const back = await b.postJson(`${interactionPath(pending)}/abort`, { reason: 'unmet' });
    expect((await finish(b, back.body.redirectTo)).get('error')).toBe('unmet_authentication_requirements');

    await enrolOtp(b, (s) => code(s));
    const waiting = await authorize(b, { acr_values: ACR_ELEVATED });
    expect(await (await b.request(waiting.location)).text()).toContain(
      'Your authenticator app becomes active at',
    );
    expect(await sendCode(b, waiting, '123456')).toMatchObject({
      status: 409,
      body: { error: 'wrong_step' },
    });
  });

  it('counts an active app towards the level the account holds: changes then need a session confirmed with a code', async () => {
    const { b, secret, passkey } = await customerWithApp();
    const copy = browser();
    expect((await settingsSignIn(copy, passkey)).status).toBe(200);
    const page = await (await copy.request('/account')).text();
    expect(page).toContain('Confirm with a code from your authenticator app to make changes.');
    expect(await addCredential(copy, suite.bank.securityKey())).toMatchObject({
      status: 403,
      body: { error: 'step_up_required' },
    });
    expect(await copy.postJson('/account/otp/delete', {})).toMatchObject({
      status: 403,
      body: { error: 'step_up_required' },
    });
    expect((await copy.postJson('/account/otp/confirm', { code: code(secret) })).status).toBe(200);
    // Elevated now: a security key added from this session still waits (it gives the high level).
    const added = await addCredential(copy, suite.bank.securityKey());
    expect(added).toMatchObject({ status: 200, body: { class: 'high', acr: ACR_STANDARD } });
    expect(Date.parse(String(added.body.activeAt))).toBeGreaterThan(
      suite.bank.clock.now() + COOLING_OFF_MS - 5000,
    );
    expect((await copy.postJson('/account/otp/delete', {})).status).toBe(200);
    const { rows } = await suite.db.query(
      `SELECT count(*)::int AS n FROM otp_factors o JOIN credentials c ON c.account_id = o.account_id
        WHERE c.id = $1`,
      [passkey.credentials[0]?.id],
    );
    expect(rows).toEqual([{ n: 0 }]);
    expect(b.jar.size).toBeGreaterThan(0);
  });

  it('lets a pending app be removed from any recent session', async () => {
    const b = browser();
    const passkey = suite.bank.syncedPasskey();
    await openAccount(b, passkey);
    await enrolOtp(b, (s) => code(s));
    const other = browser();
    expect((await settingsSignIn(other, passkey)).status).toBe(200);
    expect((await other.postJson('/account/otp/delete', {})).status).toBe(200);
    const { rows } = await suite.db.query(
      `SELECT kind FROM credential_events e JOIN accounts a ON a.id = e.account_id ORDER BY at DESC LIMIT 1`,
    );
    expect(rows).toEqual([{ kind: 'removed' }]);
  });
});

postgresVariant('the risk ladder on PostgreSQL');
