// Transaction-bound step-up at the authorization server (RFC 9396 rich authorization requests, PSD2
// dynamic linking): the request's transfer is validated, shown in words, and approved with a passkey
// assertion whose challenge is derived from exactly that transfer; only the access token issued for
// that approval carries it, with a jti.
import { createHash } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { postgresVariant } from '../../../../test/services.js';
import { ACR_ELEVATED, ACR_HIGH } from '../src/assurance.js';
import {
  accessTokenAfter,
  authorize,
  callbackParams,
  enrolOtp,
  interactionPath,
  openAccount,
  refresh,
  sendCode,
  signIn,
  TestBrowser,
} from './helpers/client.js';
import { databases } from './helpers/db.js';
import { bankForSuite, COOLING_OFF_SECONDS } from './helpers/setup.js';

const PAYMENT = {
  type: 'payment_initiation',
  instructedAmount: { currency: 'EUR', amount: '1500.00' },
  creditorName: 'City Water',
  creditorAccount: { iban: 'GB29NWBK60161331926819' },
};

describe.each(databases)('approving a transfer on $name', (database) => {
  const suite = bankForSuite(database);
  const browser = () => new TestBrowser(suite.bank.server.url);
  const code = (secret: string) =>
    TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: suite.bank.clock.now() });

  /** A customer signed in with their security key (a high session). */
  async function keyHolder() {
    const b = browser();
    const key = suite.bank.securityKey();
    await openAccount(b, key);
    return { b, key };
  }

  it('shows the transfer in words and asks for an approval even from a high session; the token carries exactly it, with a jti', async () => {
    const { b, key } = await keyHolder();
    const pending = await authorize(b, {
      acr_values: ACR_HIGH,
      max_age: '300',
      authorization_details: [PAYMENT],
    });
    expect(pending.location).toContain('/interaction/');
    const page = await (await b.request(pending.location)).text();
    expect(page).toContain('Approve this transfer');
    expect(page).toContain('<dd data-testid="approval-amount">€1,500.00</dd>');
    expect(page).toContain('<dd data-testid="approval-payee">City Water</dd>');
    expect(page).toContain('<dd data-testid="approval-account">GB29 NWBK 6016 1331 9268 19</dd>');
    expect(page).toContain('Approve with your security key');
    expect(page).not.toContain('data-action="signup"');
    const { claims, tokens } = await accessTokenAfter(b, pending, await signIn(b, pending, key));
    expect(claims).toMatchObject({ acr: ACR_HIGH, amr: ['mfa', 'hwk'], authorization_details: [PAYMENT] });
    expect(claims.jti).toEqual(expect.any(String));
    expect(tokens.authorization_details).toEqual([PAYMENT]);
    // A refresh issues a token for the same grant without the approval: one approval, one token.
    const refreshed = await refresh(b.origin, 'bank-web', String(tokens.refresh_token), pending.dpop);
    expect(refreshed.status).toBe(200);
    const [, payload] = String(refreshed.body.access_token).split('.');
    expect(JSON.parse(Buffer.from(String(payload), 'base64url').toString())).not.toHaveProperty(
      'authorization_details',
    );
    // Nor does a later request without details (nothing carries over from the grant).
    const plain = await authorize(b, { acr_values: ACR_HIGH });
    const { claims: later } = await accessTokenAfter(b, plain, {
      status: 200,
      body: { redirectTo: plain.location },
    });
    expect(later).not.toHaveProperty('authorization_details');
  });

  it('verifies the assertion against the challenge derived from the transfer: one signed for anything else is refused', async () => {
    const { b, key } = await keyHolder();
    const pending = await authorize(b, { acr_values: ACR_HIGH, authorization_details: [PAYMENT] });
    const base = interactionPath(pending);
    const options = await b.postJson(`${base}/signin/options`, {});
    expect(options.status).toBe(200);
    // The challenge is SHA-256 of the label, the interaction, the stored nonce and every member of the
    // transfer in a fixed order (the README's formula, recomputed here from the request's own details).
    const uid = base.split('/').at(-1);
    const { rows } = await suite.db.query('SELECT data FROM webauthn_challenges WHERE id = $1', [
      `signin:${uid}`,
    ]);
    const { nonce } = (rows[0] as { data: { nonce: string } }).data;
    const snapshot = JSON.stringify([
      ['payment_initiation', 'EUR', '1500.00', 'City Water', 'GB29NWBK60161331926819'],
    ]);
    const derived = createHash('sha256')
      .update(JSON.stringify(['stepup-bank/payment-approval/v1', uid, nonce, snapshot]))
      .digest('base64url');
    expect(options.body.challenge).toBe(derived);
    // A page that changed the challenge (to one of its own, or of another transfer) gets nothing.
    const forged = key.authenticate(
      { ...(options.body as object), challenge: Buffer.alloc(32, 7).toString('base64url') } as never,
      b.origin,
    );
    expect(await b.postJson(`${base}/signin/verify`, forged)).toMatchObject({
      status: 400,
      body: { error: 'invalid_webauthn_response' },
    });
    // Each options call derives a new challenge (a fresh nonce) for the same transfer.
    const first = await b.postJson(`${base}/signin/options`, {});
    const second = await b.postJson(`${base}/signin/options`, {});
    expect(first.body.challenge).not.toBe(second.body.challenge);
    // Only the latest options can be answered (each answer takes the stored challenge).
    expect(
      await b.postJson(`${base}/signin/verify`, key.authenticate(first.body as never, b.origin)),
    ).toMatchObject({
      status: 400,
      body: { error: 'invalid_webauthn_response' },
    });
    const third = await b.postJson(`${base}/signin/options`, {});
    const ok = await b.postJson(`${base}/signin/verify`, key.authenticate(third.body as never, b.origin));
    expect(ok.status).toBe(200);
    expect(second.body.challenge).not.toBe(third.body.challenge);
  });

  it('refuses details the bank does not approve: another type, another shape, two transfers, an amount as a number', async () => {
    const { b } = await keyHolder();
    for (const details of [
      [{ ...PAYMENT, type: 'account_information' }],
      [{ ...PAYMENT, remittanceInformation: 'x' }],
      [PAYMENT, PAYMENT],
      [{ ...PAYMENT, instructedAmount: { currency: 'EUR', amount: 1500 } }],
      [{ ...PAYMENT, creditorName: ' City Water' }],
    ]) {
      const pending = await authorize(b, { acr_values: ACR_HIGH, authorization_details: details });
      expect(callbackParams(pending.location).get('error'), JSON.stringify(details)).toBe(
        'invalid_authorization_details',
      );
    }
  });

  it('approves an elevated transfer with a fresh passkey and a code, whatever the session already proved', async () => {
    const b = browser();
    const passkey = suite.bank.syncedPasskey();
    await openAccount(b, passkey);
    const { secret } = await enrolOtp(b, (s) => code(s));
    suite.bank.advance(COOLING_OFF_SECONDS * 1000 + 60_000);
    // The session becomes elevated...
    const lift = await authorize(b, { acr_values: ACR_ELEVATED });
    await accessTokenAfter(b, lift, await sendCode(b, lift, code(String(secret))));
    suite.bank.advance(31_000);
    // ...but an approval takes its own factors: the passkey (signing the transfer), then the code.
    const pending = await authorize(b, { acr_values: ACR_ELEVATED, authorization_details: [PAYMENT] });
    const page = await (await b.request(pending.location)).text();
    expect(page).toContain('data-step="passkey"');
    expect(page).toContain('Approve with your passkey');
    expect(await sendCode(b, pending, code(String(secret)))).toMatchObject({
      status: 409,
      body: { error: 'wrong_step' },
    });
    expect(await signIn(b, pending, passkey)).toMatchObject({ status: 200, body: { next: 'code' } });
    const { claims } = await accessTokenAfter(b, pending, await sendCode(b, pending, code(String(secret))));
    expect(claims).toMatchObject({
      acr: ACR_ELEVATED,
      amr: ['mfa', 'swk', 'otp'],
      authorization_details: [PAYMENT],
    });
  });

  it('lets a security key alone approve an elevated transfer, and answers prompt=none with an error', async () => {
    const { b, key } = await keyHolder();
    const none = await authorize(b, {
      acr_values: ACR_ELEVATED,
      prompt: 'none',
      authorization_details: [PAYMENT],
    });
    expect(callbackParams(none.location).get('error')).toBe('interaction_required');
    const pending = await authorize(b, { acr_values: ACR_ELEVATED, authorization_details: [PAYMENT] });
    const { claims } = await accessTokenAfter(b, pending, await signIn(b, pending, key));
    expect(claims).toMatchObject({ acr: ACR_HIGH, authorization_details: [PAYMENT] });
  });
});

postgresVariant('approving a transfer on PostgreSQL');
