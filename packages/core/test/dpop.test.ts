import { constants, generateKeyPairSync, sign } from 'node:crypto';
import type { AuditEvent, Decision, StepUpError, StepUpRequest } from '@stepup/core';
import { createGuard } from '@stepup/core/adapter';
import { createMemoryReplayStore, type ReplayStore } from '@stepup/core/stores';
import type { TestIssuer } from '@stepup/core/testing';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ath, createProofKey, type ProofKey, type ProofSpec, signProof } from './conformance/proof.js';
import { ACR, clock, engine, issuer, NOW, NOW_MS } from './helpers.js';

const ORIGIN = 'https://api.test';
const SECRET = 'a nonce secret of at least 32 bytes.';
let as: TestIssuer;
let key: ProofKey;
beforeAll(async () => {
  as = await issuer();
  key = await createProofKey('ES256');
});

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const codeOf = (d: Decision | undefined) =>
  d === undefined ? 'pending' : d.allowed ? 'allowed' : d.error.code;
const bound = (claims: Record<string, unknown> = {}) =>
  as.mint({ acr: ACR.standard, auth_time: NOW - 10, cnf: { jkt: key.jkt }, ...claims });

async function dpopRequest(token: string, spec: Partial<ProofSpec> = {}, url = '/r'): Promise<StepUpRequest> {
  const proof = await signProof({
    key,
    token,
    htm: 'GET',
    htu: `${ORIGIN}${url.split('?')[0]}`,
    iat: NOW,
    ...spec,
  });
  return { method: 'GET', url, headers: { authorization: `DPoP ${token}`, dpop: proof } };
}

describe('DPoP in the engine', () => {
  it('keeps the Bearer fast path synchronous, and never decides a DPoP request without verifying its proof', async () => {
    const stepUp = engine(as, { dpop: { origin: ORIGIN } });
    const bearer = {
      method: 'GET',
      url: '/r',
      headers: { authorization: await as.authorization({ acr: ACR.standard }) },
    };
    // The second verification admits the token to the cache; from then on it is answered synchronously.
    for (let i = 0; i < 2; i++) expect(codeOf(await stepUp.decide('read', bearer))).toBe('allowed');
    expect(codeOf(stepUp.decideSync('read', bearer))).toBe('allowed');
    const token = await bound();
    expect(codeOf(await stepUp.decide('read', await dpopRequest(token)))).toBe('allowed');
    // The token's verification is cached; the proof's never is: a new proof is verified, a replay refused.
    const second = await dpopRequest(token);
    expect(stepUp.decideSync('read', second)).toBeUndefined();
    expect(codeOf(await stepUp.decide('read', second))).toBe('allowed');
    expect(codeOf(await stepUp.decide('read', second))).toBe('ERR_DPOP_PROOF_REPLAYED');
    const forged = await dpopRequest(token, { signer: await createProofKey('ES256') });
    expect(codeOf(await stepUp.decide('read', forged))).toBe('ERR_DPOP_PROOF_INVALID');
  });

  it('reports DPoP decisions to the audit hook, cached or not', async () => {
    const events: AuditEvent[] = [];
    const stepUp = engine(as, { dpop: { origin: ORIGIN }, audit: (e) => events.push(e) });
    const token = await bound();
    await stepUp.decide('read', await dpopRequest(token));
    await stepUp.decide('read', await dpopRequest(token)); // verified again: admitted to the cache
    await stepUp.decide('read', await dpopRequest(token, { htm: 'POST' }));
    expect(events.map((e) => [e.outcome, e.code, e.cached, e.sub])).toEqual([
      ['allow', undefined, false, 'user-1'],
      ['allow', undefined, false, 'user-1'],
      ['deny', 'ERR_DPOP_PROOF_INVALID', true, 'user-1'],
    ]);
  });

  it('fails closed when the replay store cannot tell: 503 with Retry-After, no internal text, a warning', async () => {
    const warn = vi.fn();
    const broken: ReplayStore = {
      consume: async () => {
        throw new Error('connect ECONNREFUSED 10.1.2.3:6379');
      },
    };
    const stepUp = engine(as, { dpop: { origin: ORIGIN, replayStore: broken }, logger: { warn } });
    const d = await stepUp.decide('read', await dpopRequest(await bound()));
    if (d.allowed) throw new Error('allowed');
    expect([d.error.code, d.error.status, d.error.headers['retry-after']]).toEqual([
      'ERR_REPLAY_STORE_UNAVAILABLE',
      503,
      '1',
    ]);
    expect(JSON.stringify([d.error.body, d.error.headers])).not.toMatch(/ECONNREFUSED|10\.1\.2\.3/);
    expect(warn).toHaveBeenCalledWith('stepup: replay store unavailable', {
      cause: 'connect ECONNREFUSED 10.1.2.3:6379',
    });
  });

  it('passes on the store’s own refusal (a full memory store) with its Retry-After', async () => {
    const stepUp = engine(as, {
      dpop: { origin: ORIGIN, replayStore: createMemoryReplayStore({ max: 1, now: () => NOW_MS }) },
    });
    const token = await bound();
    expect(codeOf(await stepUp.decide('read', await dpopRequest(token)))).toBe('allowed');
    const d = await stepUp.decide('read', await dpopRequest(token));
    expect(d.allowed ? undefined : [d.error.code, d.error.headers['retry-after']]).toEqual([
      'ERR_REPLAY_STORE_UNAVAILABLE',
      '301',
    ]);
  });

  it.each<[string, (token: string) => Promise<StepUpRequest>, string]>([
    [
      'a proof over the size bound',
      async (t) => ({ ...(await dpopRequest(t, { claims: { pad: 'x'.repeat(9000) } })) }),
      'The DPoP proof is too large',
    ],
    [
      'a proof with crit',
      (t) => dpopRequest(t, { header: { crit: ['x'], x: 1 } }),
      'The DPoP proof has unsupported critical headers',
    ],
    ['a jwk that is an array', (t) => dpopRequest(t, { header: { jwk: [] } }), 'The DPoP proof has no jwk'],
    [
      'htm in lower case',
      (t) => dpopRequest(t, { htm: 'get' }),
      'The DPoP proof htm does not match the request method',
    ],
    [
      'an htu that is not a URL',
      (t) => dpopRequest(t, { htu: 'not a url' }),
      'The DPoP proof htu does not match the request URL',
    ],
    [
      'an htu with a tab',
      (t) => dpopRequest(t, { htu: 'https://api.te\tst/r' }),
      'The DPoP proof htu does not match the request URL',
    ],
    [
      'an htu with credentials',
      (t) => dpopRequest(t, { htu: 'https://u:p@api.test/r' }),
      'The DPoP proof htu does not match the request URL',
    ],
    [
      'an htu of another scheme',
      (t) => dpopRequest(t, { htu: 'ftp://api.test/r' }),
      'The DPoP proof htu does not match the request URL',
    ],
    [
      'an iat that is a string',
      (t) => dpopRequest(t, { iat: String(NOW) as never }),
      'The DPoP proof has no valid iat',
    ],
    [
      'a jti of 513 characters',
      (t) => dpopRequest(t, { claims: { jti: 'j'.repeat(513) } }),
      'The DPoP proof has no valid jti',
    ],
  ])('refuses %s', async (_, request, message) => {
    const d = await engine(as, { dpop: { origin: ORIGIN } }).decide('read', await request(await bound()));
    expect(d.allowed ? undefined : [d.error.code, d.error.message]).toEqual([
      'ERR_DPOP_PROOF_INVALID',
      message,
    ]);
  });

  it('refuses proof keys node:crypto cannot use: members missing, a point off the curve, RSA under 2048 bits', async () => {
    const stepUp = engine(as, { dpop: { origin: ORIGIN, algorithms: ['ES256', 'PS256'] } });
    const token = await bound();
    const { y: _, ...noY } = key.publicJwk;
    const offCurve = { ...key.publicJwk, y: key.publicJwk.x };
    for (const jwk of [noY, offCurve]) {
      const d = await stepUp.decide('read', await dpopRequest(token, { header: { jwk } }));
      expect(d.allowed ? undefined : d.error.message).toBe(
        'The DPoP proof jwk is not a usable key (RSA needs 2048 bits)',
      );
    }
    // jose will not sign with a 1024-bit key: the proof is made with node:crypto.
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const header = { typ: 'dpop+jwt', alg: 'PS256', jwk: weak.publicKey.export({ format: 'jwk' }) };
    const claims = { jti: 'weak', htm: 'GET', htu: `${ORIGIN}/r`, iat: NOW, ath: ath(token) };
    const input = `${b64(header)}.${b64(claims)}`;
    const signature = sign('sha256', Buffer.from(input), {
      key: weak.privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    }).toString('base64url');
    const d = await stepUp.decide('read', {
      method: 'GET',
      url: '/r',
      headers: { authorization: `DPoP ${token}`, dpop: `${input}.${signature}` },
    });
    expect(d.allowed ? undefined : d.error.message).toBe(
      'The DPoP proof jwk is not a usable key (RSA needs 2048 bits)',
    );
  });

  it('takes htu from the configured origin and the request path: absolute-form, odd targets, dot segments', async () => {
    const stepUp = engine(as, { dpop: { origin: `${ORIGIN}/` } });
    const token = await bound();
    const absolute = { ...(await dpopRequest(token)), url: 'https://attacker.test/r?x=1' };
    expect(codeOf(await stepUp.decide('read', absolute))).toBe('allowed');
    const dots = await dpopRequest(token, { htu: `${ORIGIN}/a/../r` });
    expect(codeOf(await stepUp.decide('read', dots))).toBe('allowed');
    const protocolRelative = await dpopRequest(
      token,
      { htu: 'https://attacker.test/x' },
      '//attacker.test/x',
    );
    expect(codeOf(await stepUp.decide('read', protocolRelative))).toBe('ERR_DPOP_PROOF_INVALID');
    const asterisk = { ...(await dpopRequest(token)), url: '*' };
    const d = await stepUp.decide('read', asterisk);
    expect(d.allowed ? undefined : [d.error.code, d.error.status]).toEqual(['ERR_REQUEST_MALFORMED', 400]);
  });

  it('reads cnf strictly: malformed is invalid_token; an mTLS-only binding is never accepted', async () => {
    const stepUp = engine(as, { dpop: { origin: ORIGIN } });
    for (const cnf of ['x', { jkt: 'short' }, { jkt: 42 }, { 'x5t#S256': 'not a thumbprint' }, []]) {
      const token = await as.mint({ acr: ACR.standard, cnf });
      expect(codeOf(await stepUp.decide('read', await dpopRequest(token)))).toBe('ERR_TOKEN_CLAIMS');
    }
    const mtls = await as.mint({ acr: ACR.standard, cnf: { 'x5t#S256': key.jkt } });
    expect(codeOf(await stepUp.decide('read', await dpopRequest(mtls)))).toBe('ERR_TOKEN_NOT_BOUND');
    const both = await as.mint({ acr: ACR.standard, cnf: { jkt: key.jkt, 'x5t#S256': key.jkt } });
    expect(codeOf(await stepUp.decide('read', await dpopRequest(both)))).toBe('ERR_TOKEN_BOUND');
    const asBearer = { method: 'GET', url: '/r', headers: { authorization: `Bearer ${mtls}` } };
    expect(codeOf(await stepUp.decide('read', asBearer))).toBe('ERR_TOKEN_BOUND');
    // A cached bound token is refused as Bearer too, synchronously (verified twice: admitted).
    const token = await bound();
    await stepUp.decide('read', await dpopRequest(token));
    await stepUp.decide('read', await dpopRequest(token));
    expect(
      codeOf(
        stepUp.decideSync('read', {
          method: 'GET',
          url: '/r',
          headers: { authorization: `Bearer ${token}` },
        }),
      ),
    ).toBe('ERR_TOKEN_BOUND');
  });

  it('exposes the confirmation on the verified token', async () => {
    const d = await engine(as, { dpop: { origin: ORIGIN } }).decide('read', await dpopRequest(await bound()));
    expect(d.allowed ? d.token.confirmation : undefined).toEqual({ jkt: key.jkt });
  });

  it('gives formatChallenge the scheme the request used', async () => {
    const formatChallenge = vi.fn((error: StepUpError) => ({
      scheme: 'DPoP',
      params: { scheme: error.details.scheme ?? '' },
    }));
    const stepUp = engine(as, { dpop: { origin: ORIGIN }, formatChallenge });
    const d = await stepUp.decide('read', await dpopRequest(await bound(), { htm: 'PUT' }));
    expect(d.allowed ? undefined : d.error.headers['www-authenticate']).toBe('DPoP scheme="dpop"');
  });
});

describe('DPoP nonces (stateless, HMAC of the time window)', () => {
  it('accepts a nonce in its window and the next, sends the new one with the answer then, refuses it after', async () => {
    const time = clock();
    const stepUp = engine(as, {
      now: time.now,
      dpop: { origin: ORIGIN, nonce: { secret: SECRET, lifetime: 60 } },
    });
    const token = await bound();
    const first = await stepUp.decide('read', await dpopRequest(token));
    if (first.allowed) throw new Error('allowed without nonce');
    const nonce = first.error.headers['dpop-nonce']!;
    expect([first.error.code, first.error.details.dpopNonce]).toEqual(['ERR_DPOP_NONCE_REQUIRED', nonce]);
    const ok = await stepUp.decide('read', await dpopRequest(token, { claims: { nonce } }));
    expect(ok.allowed ? ok.headers : 'refused').toBeUndefined();
    // Another engine with the same secret (another instance) accepts it as well.
    const other = engine(as, {
      now: time.now,
      dpop: { origin: ORIGIN, nonce: { secret: SECRET, lifetime: 60 } },
    });
    expect(codeOf(await other.decide('read', await dpopRequest(token, { claims: { nonce } })))).toBe(
      'allowed',
    );
    // The next window: still accepted, and the answer carries the new nonce.
    const windowStart = Math.floor(NOW_MS / 60_000) * 60_000;
    time.advance((windowStart + 60_000 - NOW_MS) / 1000);
    const late = await stepUp.decide(
      'read',
      await dpopRequest(token, { claims: { nonce }, iat: time.now() / 1000 }),
    );
    const fresh = late.allowed ? late.headers?.['dpop-nonce'] : undefined;
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fresh).not.toBe(nonce);
    // Two windows later: refused, with the current nonce.
    time.advance(60);
    const stale = await stepUp.decide(
      'read',
      await dpopRequest(token, { claims: { nonce }, iat: time.now() / 1000 }),
    );
    expect(stale.allowed ? undefined : [stale.error.code, stale.error.headers['dpop-nonce']]).toEqual([
      'ERR_DPOP_NONCE_REQUIRED',
      expect.not.stringMatching(nonce),
    ]);
  });

  it('does not accept a nonce made with another secret, nor one of the wrong length', async () => {
    const stepUp = engine(as, { dpop: { origin: ORIGIN, nonce: { secret: SECRET } } });
    const other = engine(as, { dpop: { origin: ORIGIN, nonce: { secret: `${SECRET}!` } } });
    const token = await bound();
    const d = await other.decide('read', await dpopRequest(token));
    const foreign = d.allowed ? '' : d.error.headers['dpop-nonce'];
    for (const nonce of [foreign, 'short', 42])
      expect(codeOf(await stepUp.decide('read', await dpopRequest(token, { claims: { nonce } })))).toBe(
        'ERR_DPOP_NONCE_REQUIRED',
      );
  });

  it('exposes DPoP-Nonce through CORS with the challenge, and on a grant that carries a new nonce', async () => {
    const stepUp = engine(as, { dpop: { origin: ORIGIN, nonce: { secret: Buffer.alloc(32, 7) } } });
    const guard = createGuard(stepUp, 'read', { exposeChallenge: true });
    const d = await stepUp.decide('read', await dpopRequest(await bound()));
    expect(guard.headers(d, 'X-Request-Id')['access-control-expose-headers']).toBe(
      'X-Request-Id, WWW-Authenticate, DPoP-Nonce',
    );
    const grant = await engine(as).decide('read', {
      method: 'GET',
      url: '/r',
      headers: { authorization: await as.authorization({ acr: ACR.standard }) },
    });
    expect(grant.allowed).toBe(true);
    expect(guard.headers(grant, undefined)).toEqual({});
    const withNonce = { ...grant, allowed: true, headers: { 'dpop-nonce': 'n' } } as Decision;
    expect(guard.headers(withNonce, 'www-authenticate')).toEqual({
      'dpop-nonce': 'n',
      'access-control-expose-headers': 'www-authenticate, DPoP-Nonce',
    });
    expect(createGuard(stepUp, 'read', { exposeChallenge: false }).headers(withNonce, undefined)).toEqual({
      'dpop-nonce': 'n',
    });
  });
});
