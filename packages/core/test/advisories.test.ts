/**
 * The advisory corpus: for each class of vulnerability found in peers' JWT and OAuth resource-server
 * libraries, the attack as its advisory describes it, and the answer stepup gives. Each case is the
 * exploit, not a paraphrase: a test here failing means the class is back.
 */
import { createPublicKey } from 'node:crypto';
import { type Decision, StepUpError } from '@stepup/core';
import { createTestIssuer } from '@stepup/core/testing';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createProofKey, signProof } from './conformance/proof.js';
import { ACR, engine, get, issuer, NOW, now } from './helpers.js';

const claims = { acr: ACR.standard, auth_time: NOW - 10, sub: 'user-1', client_id: 'c', jti: 'j' };
const codeOf = (d: Decision) => (d.allowed ? 'allowed' : d.error.code);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function signed(alg: string, key: CryptoKey | Uint8Array, header: Record<string, unknown> = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg, typ: 'at+jwt', ...header })
    .setIssuer('https://issuer.test')
    .setAudience('https://api.test')
    .setIssuedAt(NOW)
    .setExpirationTime(NOW + 60)
    .sign(key);
}

describe('jsonwebtoken CVE-2022-23540: alg none accepted', () => {
  it.each(['none', 'None', 'NONE', 'nOnE'])('alg %s is refused before any key is used', async (alg) => {
    const as = await issuer();
    const header = b64({ alg, typ: 'at+jwt' });
    const payload = b64({ ...claims, iss: as.issuer, aud: 'https://api.test', iat: NOW, exp: NOW + 60 });
    for (const token of [`${header}.${payload}.`, new UnsecuredJWT({ ...claims, iss: as.issuer }).encode()])
      expect(codeOf(await engine(as).decide('read', get(`Bearer ${token}`)))).toBe('ERR_TOKEN_ALGORITHM');
  });

  it('none can never be configured', async () => {
    const as = await issuer();
    expect(() => engine(as, { issuers: [as.config({ algorithms: ['none' as never] })] })).toThrowError(
      expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }),
    );
  });
});

describe('jsonwebtoken CVE-2022-23541 / CVE-2015-9235: algorithm confusion (HS256 with the public key)', () => {
  it('an RSA issuer: HS256 keyed with its public key as PEM, as JWK JSON and as DER', async () => {
    const as = await createTestIssuer({ issuer: 'https://issuer.test', alg: 'RS256', now });
    const publicKey = createPublicKey({ key: as.jwks.keys[0]! as never, format: 'jwk' });
    const secrets = [
      publicKey.export({ type: 'spki', format: 'pem' }),
      publicKey.export({ type: 'pkcs1', format: 'pem' }),
      JSON.stringify(as.jwks.keys[0]),
      publicKey.export({ type: 'spki', format: 'der' }),
    ];
    for (const secret of secrets) {
      const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : new Uint8Array(secret);
      const token = await signed('HS256', key, { kid: as.jwks.keys[0]!.kid });
      expect(codeOf(await engine(as).decide('read', get(`Bearer ${token}`)))).toBe('ERR_TOKEN_ALGORITHM');
    }
  });

  it('HMAC algorithms cannot be configured at all', async () => {
    const as = await issuer();
    for (const alg of ['HS256', 'HS384', 'HS512'])
      expect(() => engine(as, { issuers: [as.config({ algorithms: [alg as never] })] })).toThrowError(
        expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }),
      );
  });
});

describe('express-jwt GHSA-6g6m-m6h5-w9gf: algorithms not enforced', () => {
  it('an algorithm outside the issuer’s allow-list is refused even when a key could verify it', async () => {
    const as = await issuer({ alg: 'PS256' });
    // The issuer's RSA key can verify RS256 and PS256; only PS256 is allowed.
    const rs = await createTestIssuer({ issuer: as.issuer, alg: 'RS256', now });
    const stepUp = engine(as, { issuers: [as.config({ jwks: rs.jwks, algorithms: ['PS256'] })] });
    expect(codeOf(await stepUp.decide('read', get(await rs.authorization(claims))))).toBe(
      'ERR_TOKEN_ALGORITHM',
    );
  });

  it('the allow-list cannot be empty, and defaults to ES256 and RS256, never to "whatever the token says"', async () => {
    const as = await issuer();
    expect(() => engine(as, { issuers: [as.config({ algorithms: [] })] })).toThrowError(
      expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }),
    );
    const { algorithms: _, ...withoutList } = as.config();
    const es384 = await createTestIssuer({ issuer: as.issuer, alg: 'ES384', now });
    const stepUp = engine(as, { issuers: [{ ...withoutList, jwks: es384.jwks }] });
    expect(codeOf(await stepUp.decide('read', get(await es384.authorization(claims))))).toBe(
      'ERR_TOKEN_ALGORITHM',
    );
  });
});

describe('node-jose CVE-2018-0114: an embedded jwk trusted as the key', () => {
  it('a token signed by the attacker with the attacker’s key in the header is refused', async () => {
    const as = await issuer();
    const attacker = await generateKeyPair('ES256');
    const jwk = await exportJWK(attacker.publicKey);
    const withKid = await signed('ES256', attacker.privateKey, { jwk, kid: as.jwks.keys[0]!.kid });
    expect(codeOf(await engine(as).decide('read', get(`Bearer ${withKid}`)))).toBe('ERR_TOKEN_SIGNATURE');
    const withoutKid = await signed('ES256', attacker.privateKey, { jwk });
    expect(codeOf(await engine(as).decide('read', get(`Bearer ${withoutKid}`)))).toBe('ERR_TOKEN_SIGNATURE');
    const viaJku = await signed('ES256', attacker.privateKey, {
      jku: 'https://attacker.test/jwks',
      x5u: 'x',
    });
    expect(codeOf(await engine(as).decide('read', get(`Bearer ${viaJku}`)))).toBe('ERR_TOKEN_SIGNATURE');
  });
});

describe('fast-jwt CVE-2026-35039: cache-key collisions in a verified-token cache', () => {
  it('once a token is cached, tokens sharing its prefix, its header and payload, or its bytes are verified on their own', async () => {
    const as = await issuer();
    const stepUp = engine(as);
    const token = await as.mint({ acr: ACR.standard, auth_time: NOW - 10 });
    expect(codeOf(await stepUp.decide('read', get(`Bearer ${token}`)))).toBe('allowed');
    const [h, p, s] = token.split('.') as [string, string, string];
    // Same header and payload, another signature; a longer token with the same prefix; a changed claim.
    const elevated = b64({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), acr: ACR.high });
    const variants = [
      `${h}.${p}.${s.slice(0, -8)}AAAAAAAA`,
      `${h}.${p}.${s}AAAA`,
      `${h}.${elevated}.${s}`,
      `${h}.${p}.${s.slice(0, 32)}`,
    ];
    const codes = [];
    for (const v of variants) codes.push(codeOf(await stepUp.decide('read', get(`Bearer ${v}`))));
    expect(codes).toEqual([
      'ERR_TOKEN_SIGNATURE',
      'ERR_TOKEN_SIGNATURE',
      'ERR_TOKEN_SIGNATURE',
      'ERR_TOKEN_SIGNATURE',
    ]);
  });
});

describe('fast-jwt CVE-2026-35042: crit ignored', () => {
  it.each([
    ['an unknown extension', { crit: ['urn:x-critical'], 'urn:x-critical': true }],
    ['b64, which jose understands', { crit: ['b64'], b64: true }],
    ['b64 without crit', { b64: false }],
    ['an empty crit', { crit: [] }],
  ])('a token with %s in crit is refused', async (_, header) => {
    const as = await issuer();
    // Signed by the issuer's key where jose can sign it (an extension it knows); a raw header otherwise.
    let token: string;
    try {
      token = await as.mint(claims, { header });
    } catch {
      const payload = { ...claims, iss: as.issuer, aud: 'https://api.test', iat: NOW, exp: NOW + 60 };
      token = `${b64({ alg: 'ES256', typ: 'at+jwt', kid: as.jwks.keys[0]!.kid, ...header })}.${b64(payload)}.AAAA`;
    }
    expect(codeOf(await engine(as).decide('read', get(`Bearer ${token}`)))).toBe('ERR_TOKEN_CRIT');
  });
});

describe('express-oauth2-jwt-bearer 1.9.1: DPoP htu derived from a spoofable Host header', () => {
  // The attack: a proof the victim made for attacker.test (a server the attacker runs, to which the
  // victim sent its token and proof) is replayed here with Host and X-Forwarded-Host saying attacker.test.
  // A verifier that builds the expected htu from those headers accepts it.
  async function attempt(htu: string) {
    const as = await issuer();
    const key = await createProofKey('ES256');
    const token = await as.mint({ ...claims, cnf: { jkt: key.jkt } });
    const proof = await signProof({ key, token, htm: 'GET', htu, iat: NOW });
    const stepUp = engine(as, { dpop: { origin: 'https://api.test' } });
    return stepUp.decide('read', {
      method: 'GET',
      url: '/r',
      headers: {
        authorization: `DPoP ${token}`,
        dpop: proof,
        host: 'attacker.test',
        'x-forwarded-host': 'attacker.test',
        'x-forwarded-proto': 'https',
      },
    });
  }

  it('a proof whose htu is the attacker’s host is refused, whatever Host and X-Forwarded-Host say', async () => {
    const d = await attempt('https://attacker.test/r');
    expect(codeOf(d)).toBe('ERR_DPOP_PROOF_INVALID');
    expect(d.allowed ? undefined : [d.error.status, d.error.message]).toEqual([
      401,
      'The DPoP proof htu does not match the request URL',
    ]);
  });

  it('the same request with a proof for the configured origin is accepted: htu comes from configuration', async () => {
    expect(codeOf(await attempt('https://api.test/r'))).toBe('allowed');
  });
});

describe('internal errors echoed in error_description', () => {
  it('no JWKS failure text, stack or path reaches the client', async () => {
    const as = await issuer();
    const stepUp = engine(as, {
      issuers: [as.remoteConfig()],
      fetch: async () => {
        throw new Error('getaddrinfo ENOTFOUND issuer.internal at /srv/app/node_modules/undici/index.js:1:1');
      },
    });
    const d = await stepUp.decide('read', get(await as.authorization(claims)));
    expect(d.allowed).toBe(false);
    if (d.allowed) return;
    expect(d.error).toBeInstanceOf(StepUpError);
    const wire = JSON.stringify([d.error.body, d.error.headers]);
    expect(wire).not.toMatch(/ENOTFOUND|issuer\.internal|\/srv|undici|at /);
  });
});
