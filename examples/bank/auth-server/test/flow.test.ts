// End-to-end over HTTP against the real provider: code + PKCE, step-up with acr_values and
// max_age, refusal of weaker credentials, tokens verified with jose against the published JWKS.
import { createRemoteJWKSet, decodeProtectedHeader, type JWTPayload, jwtVerify } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postgresVariant } from '../../../../test/services.js';
import { ACR_ELEVATED, ACR_HIGH, ACR_STANDARD } from '../src/assurance.js';
import type { SoftAuthenticator } from './helpers/authenticator.js';
import {
  API,
  addCredential,
  authorize,
  callbackParams,
  exchange,
  finish,
  IOS,
  type Pending,
  refresh,
  signIn,
  signUp,
  TestBrowser,
  WEB,
} from './helpers/client.js';
import { databases } from './helpers/db.js';
import { type Bank, COOLING_OFF_SECONDS, startBank } from './helpers/setup.js';

describe.each(databases)('authorization server on $name', (database) => {
  let bank: Bank;
  let drop: () => Promise<void>;
  let jwks: ReturnType<typeof createRemoteJWKSet>;
  let issuer: string;
  const browser = () => new TestBrowser(bank.server.url);

  beforeAll(async () => {
    const opened = await database.open();
    drop = opened.drop;
    bank = await startBank(opened.db);
    issuer = bank.server.issuer;
    jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  });
  afterAll(async () => {
    await bank?.close();
    await drop?.();
  });
  // The provider keeps its own (real) clock: a test that moves the server's clock puts it back after.
  afterEach(() => {
    bank.clock.offsetMs = 0;
  });

  async function tokensFor(b: TestBrowser, pending: Pending, redirectTo: unknown) {
    const params = await finish(b, redirectTo);
    expect(params.get('state')).toBe(pending.state);
    expect(params.get('iss')).toBe(issuer);
    const code = params.get('code');
    expect(code).toBeTruthy();
    const tokens = await exchange(bank.server.url, pending, String(code));
    expect(tokens.status).toBe(200);
    return tokens.body;
  }

  async function verifyAccessToken(token: unknown): Promise<JWTPayload> {
    expect(decodeProtectedHeader(String(token))).toMatchObject({ typ: 'at+jwt', alg: 'ES256' });
    const { payload } = await jwtVerify(String(token), jwks, {
      issuer,
      audience: API,
      typ: 'at+jwt',
      algorithms: ['ES256'],
      requiredClaims: ['exp', 'iat', 'jti', 'sub', 'client_id'],
    });
    return payload;
  }

  async function openAccount(b: TestBrowser, authenticator: SoftAuthenticator) {
    const pending = await authorize(b);
    const answer = await signUp(b, pending, authenticator);
    expect(answer.status).toBe(200);
    return { pending, tokens: await tokensFor(b, pending, answer.body.redirectTo) };
  }

  it('publishes discovery with the three acr values, payment_initiation details, S256 only, and an ES256 JWKS', async () => {
    const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
    expect(discovery).toMatchObject({
      issuer,
      acr_values_supported: [ACR_STANDARD, ACR_ELEVATED, ACR_HIGH],
      authorization_details_types_supported: ['payment_initiation'],
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
      id_token_signing_alg_values_supported: ['ES256'],
    });
    const keys = (await (await fetch(`${issuer}/jwks`)).json()).keys;
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('opens an account with a synced passkey: standard acr, amr and auth_time in both tokens', async () => {
    const b = browser();
    const before = Math.floor(bank.clock.now() / 1000);
    const { tokens } = await openAccount(b, bank.syncedPasskey());
    expect(tokens).toMatchObject({ token_type: 'DPoP', scope: 'accounts:read transfers:write' });
    const at = await verifyAccessToken(tokens.access_token);
    expect(at).toMatchObject({
      acr: ACR_STANDARD,
      amr: ['mfa', 'swk'],
      aud: API,
      client_id: 'bank-web',
      scope: 'accounts:read transfers:write',
    });
    expect(at.auth_time).toBeGreaterThanOrEqual(before);
    const { payload: id } = await jwtVerify(String(tokens.id_token), jwks, { issuer, audience: 'bank-web' });
    expect(id).toMatchObject({
      acr: ACR_STANDARD,
      amr: ['mfa', 'swk'],
      auth_time: at.auth_time,
      sub: at.sub,
      name: 'Ada',
    });
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  it('steps up: acr_values=high forces a new sign-in, refuses the synced passkey, accepts the security key', async () => {
    const b = browser();
    const synced = bank.syncedPasskey();
    const { tokens: first } = await openAccount(b, synced);
    const standard = await verifyAccessToken(first.access_token);

    // Same session, no acr_values: single sign-on, no interaction.
    const again = await authorize(b);
    expect(callbackParams(again.location).get('code')).toBeTruthy();

    // The account's first security key, added from the synced passkey's session: rated high, but
    // usable at the high level only after the cooling-off period.
    const key = bank.securityKey();
    const addedAt = bank.clock.now();
    const added = await addCredential(b, key, 'Blue key');
    expect(added).toMatchObject({ status: 200, body: { class: 'high', acr: ACR_STANDARD } });
    const activeAt = Date.parse(String(added.body.activeAt)) - COOLING_OFF_SECONDS * 1000;
    expect(activeAt).toBeGreaterThanOrEqual(addedAt);
    expect(activeAt).toBeLessThanOrEqual(bank.clock.now());
    const early = await authorize(b, { acr_values: ACR_HIGH });
    expect(await b.postJson(`${new URL(early.location).pathname}/signin/options`, {})).toMatchObject({
      status: 403,
      body: { error: 'credential_pending' },
    });

    bank.advance(COOLING_OFF_SECONDS * 1000 + 2000);
    const pending = await authorize(b, { acr_values: ACR_HIGH });
    const page = await b.request(new URL(pending.location).pathname);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Extra security check: High level.');

    // The page only offers the security key; a synced passkey answer is refused anyway.
    const options = await b.postJson(`${new URL(pending.location).pathname}/signin/options`, {});
    expect((options.body.allowCredentials as { id: string }[]).map((c) => c.id)).toEqual([
      key.credentials[0]?.id,
    ]);
    const weak = await b.postJson(
      `${new URL(pending.location).pathname}/signin/verify`,
      synced.authenticate(options.body as never, b.origin, { id: synced.credentials[0]?.id }),
    );
    expect(weak).toMatchObject({ status: 403, body: { error: 'credential_too_weak' } });

    const strong = await signIn(b, pending, key);
    expect(strong.status).toBe(200);
    const tokens = await tokensFor(b, pending, strong.body.redirectTo);
    const high = await verifyAccessToken(tokens.access_token);
    expect(high).toMatchObject({ acr: ACR_HIGH, amr: ['mfa', 'hwk'], sub: standard.sub });
    expect(high.auth_time).toBeGreaterThan(Number(standard.auth_time));

    // Refresh keeps the acr, amr and auth_time of the sign-in, not the time of the refresh.
    bank.clock.offsetMs += 5000;
    const refreshed = await refresh(bank.server.url, 'bank-web', String(tokens.refresh_token), pending.dpop);
    expect(refreshed.status).toBe(200);
    const after = await verifyAccessToken(refreshed.body.access_token);
    expect(after).toMatchObject({
      acr: ACR_HIGH,
      amr: ['mfa', 'hwk'],
      auth_time: high.auth_time,
      sub: high.sub,
    });
    expect(after.jti).not.toBe(high.jti);
    const { payload: id } = await jwtVerify(String(refreshed.body.id_token), jwks, {
      issuer,
      audience: 'bank-web',
    });
    expect(id).toMatchObject({ acr: ACR_HIGH, auth_time: high.auth_time });

    // Now the session is at the high level: a later high request needs no new sign-in.
    const sso = await authorize(b, { acr_values: ACR_HIGH });
    expect(callbackParams(sso.location).get('code')).toBeTruthy();
  });

  it('answers unmet_authentication_requirements when the customer has no credential at the level', async () => {
    const b = browser();
    await openAccount(b, bank.syncedPasskey());
    const pending = await authorize(b, { acr_values: ACR_HIGH });
    const path = new URL(pending.location).pathname;
    const html = await (await b.request(path)).text();
    expect(html).toContain('None of your passkeys reaches the High level yet.');
    expect(html).toContain('add one from');
    expect(html).toContain('data-reason="unmet"');
    expect(await b.postJson(`${path}/signin/options`, {})).toMatchObject({
      status: 403,
      body: { error: 'credential_too_weak' },
    });
    const back = await b.postJson(`${path}/abort`, { reason: 'unmet' });
    const params = await finish(b, back.body.redirectTo);
    expect(params.get('error')).toBe('unmet_authentication_requirements');
    expect(params.get('state')).toBe(pending.state);
  });

  it('answers access_denied when the customer cancels, and login_required for prompt=none below the level', async () => {
    const b = browser();
    await openAccount(b, bank.syncedPasskey());
    const none = await authorize(b, { acr_values: ACR_HIGH, prompt: 'none' });
    expect(callbackParams(none.location).get('error')).toBe('login_required');

    const pending = await authorize(b, { acr_values: ACR_HIGH });
    const back = await b.postJson(`${new URL(pending.location).pathname}/abort`, { reason: 'cancel' });
    expect((await finish(b, back.body.redirectTo)).get('error')).toBe('access_denied');
  });

  it('treats a request for only unknown acr values as unmet, without a loop', async () => {
    const b = browser();
    await openAccount(b, bank.syncedPasskey());
    const pending = await authorize(b, { acr_values: 'urn:example:acr:gold' });
    const path = new URL(pending.location).pathname;
    expect(await (await b.request(path)).text()).toContain('does not offer');
    const back = await b.postJson(`${path}/abort`, { reason: 'unmet' });
    expect((await finish(b, back.body.redirectTo)).get('error')).toBe('unmet_authentication_requirements');
  });

  it('forces a new sign-in when max_age is exceeded, and issues a fresh auth_time', async () => {
    const b = browser();
    const synced = bank.syncedPasskey();
    bank.clock.offsetMs -= 120_000; // the account was opened two minutes "ago"
    const { tokens } = await openAccount(b, synced);
    bank.clock.offsetMs += 120_000;
    const old = await verifyAccessToken(tokens.access_token);

    const fresh = await authorize(b, { max_age: '300' });
    expect(callbackParams(fresh.location).get('code')).toBeTruthy();

    const pending = await authorize(b, { max_age: '60' });
    const path = new URL(pending.location).pathname;
    expect(await (await b.request(path)).text()).toContain('needs a recent sign-in');
    const answer = await signIn(b, pending, synced);
    expect(answer.status).toBe(200);
    const at = await verifyAccessToken((await tokensFor(b, pending, answer.body.redirectTo)).access_token);
    expect(Number(at.auth_time) - Number(old.auth_time)).toBeGreaterThanOrEqual(119);
    expect(at.acr).toBe(ACR_STANDARD);
  });

  it('serves the iOS app: custom-scheme redirect, consent given automatically, the API as default resource', async () => {
    const b = browser();
    const pending = await authorize(b, { client_id: IOS.client_id, resource: null });
    const answer = await signUp(b, pending, bank.syncedPasskey(), 'Grace');
    expect(answer.status).toBe(200);
    const { url } = await b.follow(String(answer.body.redirectTo));
    expect(url.startsWith(`${IOS.redirect_uri}?`)).toBe(true);
    // The iOS app sends no DPoP proof yet (dpop.test.ts: its tokens are unbound).
    const tokens = await exchange(
      bank.server.url,
      pending,
      String(new URL(url).searchParams.get('code')),
      null,
    );
    expect(tokens.status).toBe(200);
    expect(await verifyAccessToken(tokens.body.access_token)).toMatchObject({
      client_id: 'bank-ios',
      acr: ACR_STANDARD,
    });
    expect(tokens.body.refresh_token).toEqual(expect.any(String));
  });

  it('requires PKCE and refuses a wrong code_verifier', async () => {
    const b = browser();
    const noPkce = await b.follow(
      `/auth?${new URLSearchParams({ response_type: 'code', client_id: WEB.client_id, redirect_uri: WEB.redirect_uri, scope: 'openid', state: 's' })}`,
    );
    expect(callbackParams(noPkce.url).get('error')).toBe('invalid_request');

    const pending = await authorize(b);
    const answer = await signUp(b, pending, bank.syncedPasskey());
    const code = String((await finish(b, answer.body.redirectTo)).get('code'));
    const wrong = await exchange(bank.server.url, { ...pending, verifier: 'x'.repeat(43) }, code);
    expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});

postgresVariant('authorization server on PostgreSQL');
