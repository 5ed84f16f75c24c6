// DPoP at the token endpoint (RFC 9449) over HTTP against the real provider, with proofs made by the
// `dpop` package: the web app's tokens are bound to its key, the nonce is required, a proof is good for
// one request, a bound refresh token only for its key; the iOS app (no DPoP yet) gets unbound tokens.
import { createHash } from 'node:crypto';
import * as dpop from 'dpop';
import { decodeJwt, exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresVariant } from '../../../../test/services.js';
import {
  authorize,
  finish,
  IOS,
  type Pending,
  refresh,
  signUp,
  TestBrowser,
  tokenRequest,
  WEB,
} from './helpers/client.js';
import { databases } from './helpers/db.js';
import { type Bank, startBank } from './helpers/setup.js';

/** RFC 7638 by hand (the members of an EC key, in order): not the thumbprint code under test. */
async function thumbprint(key: dpop.KeyPair): Promise<string> {
  const { crv, kty, x, y } = await exportJWK(key.publicKey);
  const canonical = JSON.stringify({ crv, kty, x, y });
  return createHash('sha256').update(canonical).digest('base64url');
}

describe.each(databases)('DPoP at the token endpoint on $name', (database) => {
  let bank: Bank;
  let drop: () => Promise<void>;
  let origin: string;

  beforeAll(async () => {
    const opened = await database.open();
    drop = opened.drop;
    bank = await startBank(opened.db);
    origin = bank.server.url;
  });
  afterAll(async () => {
    await bank?.close();
    await drop?.();
  });

  /** Signs up in a new browser and returns the authorization code and the pending request. */
  async function codeFor(
    clientId?: string,
    params: { dpop_jkt?: boolean } = {},
  ): Promise<{ pending: Pending & { dpop: dpop.KeyPair }; code: string }> {
    const b = new TestBrowser(origin);
    const client = clientId === undefined ? {} : { client_id: clientId, resource: null };
    const pending = await authorize(b, { ...client, ...params });
    const answer = await signUp(b, pending, bank.syncedPasskey());
    expect(answer.status).toBe(200);
    const code = (await finish(b, answer.body.redirectTo)).get('code');
    expect(code).toEqual(expect.any(String));
    return { pending, code: String(code) };
  }

  const codeParams = (pending: Pending, code: string) => ({
    grant_type: 'authorization_code',
    code,
    redirect_uri: pending.redirectUri,
    client_id: pending.clientId,
    code_verifier: pending.verifier,
  });

  const proof = (key: dpop.KeyPair, nonce?: string) =>
    dpop.generateProof(key, `${origin}/token`, 'POST', nonce);

  /** A raw `POST /token` with exactly the `DPoP` header given (no retry). */
  async function post(params: Record<string, string>, proofJwt?: string) {
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      origin: new URL(WEB.redirect_uri).origin,
    };
    if (proofJwt !== undefined) headers.dpop = proofJwt;
    const response = await fetch(`${origin}/token`, {
      method: 'POST',
      headers,
      body: new URLSearchParams(params),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Record<string, unknown>,
    };
  }

  /** A nonce of the server: the answer to a proof without one. */
  async function nonce(key: dpop.KeyPair): Promise<string> {
    const answer = await post(
      { grant_type: 'refresh_token', refresh_token: 'x', client_id: 'bank-web' },
      await proof(key),
    );
    expect(answer).toMatchObject({ status: 400, body: { error: 'use_dpop_nonce' } });
    return String(answer.headers.get('dpop-nonce'));
  }

  it('refuses the web app a code exchange without a proof, and the code stays usable with one', async () => {
    const { pending, code } = await codeFor();
    const bare = await tokenRequest(origin, codeParams(pending, code), null);
    expect(bare.status).toBe(400);
    expect(bare.body).toMatchObject({ error: 'invalid_grant' });
    expect(bare.body).not.toHaveProperty('access_token');
    // The refusal came before the code was used up (oidc-provider checks the proof first).
    const bound = await tokenRequest(origin, codeParams(pending, code), pending.dpop);
    expect(bound.status).toBe(200);
  });

  it('binds the access token (cnf.jkt = the proof key thumbprint) and answers token_type DPoP', async () => {
    const { pending, code } = await codeFor();
    const answer = await tokenRequest(origin, codeParams(pending, code), pending.dpop);
    expect(answer.status).toBe(200);
    expect(answer.body.token_type).toBe('DPoP');
    const claims = decodeJwt(String(answer.body.access_token));
    expect(claims.cnf).toEqual({ jkt: await thumbprint(pending.dpop) });
    expect(answer.body.refresh_token).toEqual(expect.any(String));
  });

  it('round-trips the nonce: use_dpop_nonce with a DPoP-Nonce header, then accepted; a made-up nonce is refused', async () => {
    const { pending, code } = await codeFor();
    const first = await post(codeParams(pending, code), await proof(pending.dpop));
    expect(first.status).toBe(400);
    expect(first.body).toMatchObject({ error: 'use_dpop_nonce' });
    const issued = first.headers.get('dpop-nonce');
    expect(issued).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    // A browser client reads the header cross-origin only if it is exposed.
    expect(first.headers.get('access-control-expose-headers') ?? '').toMatch(/dpop-nonce/i);

    const forged = await post(codeParams(pending, code), await proof(pending.dpop, 'A'.repeat(43)));
    expect(forged).toMatchObject({ status: 400, body: { error: 'use_dpop_nonce' } });

    const second = await post(codeParams(pending, code), await proof(pending.dpop, String(issued)));
    expect(second.status).toBe(200);
    expect(decodeJwt(String(second.body.access_token)).cnf).toEqual({ jkt: await thumbprint(pending.dpop) });
  });

  it('refuses a replayed proof (the same jti), even for another grant', async () => {
    const { pending, code } = await codeFor();
    const once = await proof(pending.dpop, await nonce(pending.dpop));
    const first = await post(codeParams(pending, code), once);
    expect(first.status).toBe(200);
    const again = await post(
      { grant_type: 'refresh_token', refresh_token: String(first.body.refresh_token), client_id: 'bank-web' },
      once,
    );
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(again.body).not.toHaveProperty('access_token');
    // A fresh proof of the same key is accepted: it was the replay that was refused, not the refresh.
    const fresh = await refresh(origin, 'bank-web', String(first.body.refresh_token), pending.dpop);
    expect(fresh.status).toBe(200);
  });

  it('binds the refresh token: a refresh with another key or with no proof is refused, with its own key accepted', async () => {
    const { pending, code } = await codeFor();
    const tokens = await tokenRequest(origin, codeParams(pending, code), pending.dpop);
    expect(tokens.status).toBe(200);
    const refreshToken = String(tokens.body.refresh_token);

    const thief = await dpop.generateKeyPair('ES256');
    const stolen = await refresh(origin, 'bank-web', refreshToken, thief);
    expect(stolen).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(stolen.body).not.toHaveProperty('access_token');
    const bare = await refresh(origin, 'bank-web', refreshToken, null);
    expect(bare).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const own = await refresh(origin, 'bank-web', refreshToken, pending.dpop);
    expect(own.status).toBe(200);
    expect(decodeJwt(String(own.body.access_token)).cnf).toEqual({ jkt: await thumbprint(pending.dpop) });
  });

  it('binds the code to the key named by dpop_jkt: another key cannot exchange it (and uses it up), that key can', async () => {
    const stolen = await codeFor(undefined, { dpop_jkt: true });
    const thief = await dpop.generateKeyPair('ES256');
    const other = await tokenRequest(origin, codeParams(stolen.pending, stolen.code), thief);
    expect(other).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(other.body).not.toHaveProperty('access_token');
    const late = await tokenRequest(origin, codeParams(stolen.pending, stolen.code), stolen.pending.dpop);
    expect(late).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const { pending, code } = await codeFor(undefined, { dpop_jkt: true });
    const own = await tokenRequest(origin, codeParams(pending, code), pending.dpop);
    expect(own.status).toBe(200);
    expect(decodeJwt(String(own.body.access_token)).cnf).toEqual({ jkt: await thumbprint(pending.dpop) });
  });

  it('refuses a proof signed with an algorithm other than ES256', async () => {
    const { pending, code } = await codeFor();
    const ed = await dpop.generateKeyPair('Ed25519');
    const answer = await tokenRequest(origin, codeParams(pending, code), ed);
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_dpop_proof' } });
  });

  it('issues the iOS app (no DPoP yet) unbound Bearer tokens', async () => {
    const { pending, code } = await codeFor(IOS.client_id);
    const answer = await tokenRequest(origin, codeParams(pending, code), null);
    expect(answer.status).toBe(200);
    expect(answer.body.token_type).toBe('Bearer');
    expect(decodeJwt(String(answer.body.access_token))).not.toHaveProperty('cnf');
  });
});

postgresVariant('DPoP at the token endpoint on PostgreSQL');
