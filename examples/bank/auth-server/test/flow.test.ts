// End-to-end over HTTP against the real provider: code + PKCE, step-up with acr_values and
// max_age, refusal of weaker credentials, tokens verified with jose against the published JWKS.
import { createRemoteJWKSet, decodeProtectedHeader, type JWTPayload, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACR_HIGH, ACR_STANDARD } from '../src/assurance.js';
import type { SoftAuthenticator } from './helpers/authenticator.js';
import {
  API,
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
import { type Bank, startBank } from './helpers/setup.js';

describe.each(databases)('authorization server on $name', (database) => {
  let bank: Bank;
  let dispose: () => Promise<void>;
  let jwks: ReturnType<typeof createRemoteJWKSet>;
  let issuer: string;
  const browser = () => new TestBrowser(bank.server.url);

  beforeAll(async () => {
    const opened = await database.open();
    dispose = opened.dispose;
    bank = await startBank(opened.db);
    issuer = bank.server.issuer;
    jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  });
  afterAll(async () => {
    await bank?.close();
    await dispose?.();
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

  it('publishes discovery with both acr values, S256 only, and an ES256 JWKS', async () => {
    const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
    expect(discovery).toMatchObject({
      issuer,
      acr_values_supported: [ACR_STANDARD, ACR_HIGH],
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
    expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'accounts:read transfers:write' });
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
});
