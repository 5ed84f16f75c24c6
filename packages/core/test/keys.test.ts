import type { AuditEvent, Decision, StepUp } from '@stepup/core';
import type { TestIssuer } from '@stepup/core/testing';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ACR, clock, engine, get, issuer, NOW } from './helpers.js';

const standard = { acr: ACR.standard, auth_time: NOW - 10 };
const codeOf = (d: Decision) => (d.allowed ? 'allowed' : d.error.code);

type Mode = 'ok' | 'refused' | 'status-500' | 'garbage' | 'hang';

/** A JWKS endpoint whose behaviour a test switches, counting every request it receives. */
function endpoint(as: TestIssuer) {
  let mode: Mode = 'ok';
  let requests = 0;
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    requests++;
    switch (mode) {
      case 'ok':
        return as.fetch(input, init);
      case 'refused':
        throw new TypeError('fetch failed: connect ECONNREFUSED 10.0.0.7:443');
      case 'status-500':
        return new Response('oops', { status: 500 });
      case 'garbage':
        return new Response('<html>', { status: 200 });
      case 'hang':
        return new Promise<Response>((_, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        );
    }
  }) as typeof globalThis.fetch;
  return {
    fetch,
    set: (next: Mode) => {
      mode = next;
    },
    get requests() {
      return requests;
    },
  };
}

const flood = (stepUp: StepUp, as: TestIssuer, n: number, kid = (i: number) => `unknown-${i}`) =>
  Promise.all(
    Array.from({ length: n }, async (_, i) =>
      codeOf(await stepUp.decide('read', get(await as.authorization(standard, { header: { kid: kid(i) } })))),
    ),
  );

describe('the verified-token cache never outlives the key that verified a token', () => {
  it('a key dropped by a reload (triggered by a new kid) makes its cached tokens fail as uncached ones do', async () => {
    const as = await issuer();
    const time = clock();
    const jwks = endpoint(as);
    const audit: AuditEvent[] = [];
    const stepUp = engine(as, {
      issuers: [as.remoteConfig({ jwksCooldown: 1000 })],
      fetch: jwks.fetch,
      now: time.now,
      audit: (e) => audit.push(e),
    });
    const old = await as.authorization(standard, { expiresIn: 3600 });
    // Verified twice (admitted to the cache), then a cache hit.
    for (let i = 0; i < 3; i++) expect(codeOf(await stepUp.decide('read', get(old)))).toBe('allowed');
    await as.rotate();
    time.advance(2);
    expect(codeOf(await stepUp.decide('read', get(await as.authorization(standard))))).toBe('allowed');
    expect(jwks.requests).toBe(2);
    const cachedAnswer = await stepUp.decide('read', get(old));
    const uncachedAnswer = await engine(as, { issuers: [as.config()], now: time.now }).decide(
      'read',
      get(old),
    );
    expect(codeOf(cachedAnswer)).toBe('ERR_TOKEN_KEY_UNKNOWN');
    expect(cachedAnswer.allowed ? undefined : cachedAnswer.error.body).toEqual(
      uncachedAnswer.allowed ? undefined : uncachedAnswer.error.body,
    );
    expect(audit.map((e) => e.cached)).toEqual([false, false, true, false, false]);
  });

  it('past the key set’s max age a cached token is not trusted until the set is fetched again', async () => {
    const as = await issuer();
    const time = clock();
    const jwks = endpoint(as);
    const audit: AuditEvent[] = [];
    const stepUp = engine(as, {
      issuers: [as.remoteConfig({ jwksCooldown: 1000, jwksCacheMaxAge: 60_000 })],
      fetch: jwks.fetch,
      now: time.now,
      audit: (e) => audit.push(e),
    });
    const token = await as.authorization(standard, { expiresIn: 3600 });
    expect(codeOf(await stepUp.decide('read', get(token)))).toBe('allowed');
    expect(codeOf(await stepUp.decide('read', get(token)))).toBe('allowed'); // admitted to the cache
    time.advance(59);
    expect(codeOf(await stepUp.decide('read', get(token)))).toBe('allowed');
    expect(audit.at(-1)?.cached).toBe(true);
    // The issuer removed the key in the meantime, without a new kid arriving to force a reload.
    await as.rotate();
    time.advance(2);
    expect(codeOf(await stepUp.decide('read', get(token)))).toBe('ERR_TOKEN_KEY_UNKNOWN');
    expect(audit.at(-1)?.cached).toBe(false);
    expect(jwks.requests).toBe(2);
  });

  it('past the max age, with the JWKS unreachable, a cached token gets the outage answer, as an uncached one', async () => {
    const as = await issuer();
    const time = clock();
    const jwks = endpoint(as);
    const stepUp = engine(as, {
      issuers: [as.remoteConfig({ jwksCooldown: 1000, jwksCacheMaxAge: 60_000 })],
      fetch: jwks.fetch,
      now: time.now,
    });
    const token = await as.authorization(standard, { expiresIn: 3600 });
    expect(codeOf(await stepUp.decide('read', get(token)))).toBe('allowed');
    jwks.set('refused');
    time.advance(61);
    expect(codeOf(await stepUp.decide('read', get(token)))).toBe('ERR_JWKS_UNAVAILABLE');
    jwks.set('ok');
    time.advance(2);
    expect(codeOf(await stepUp.decide('read', get(token)))).toBe('allowed');
  });

  it('a reload that keeps the key keeps its cached tokens', async () => {
    const as = await issuer();
    const time = clock();
    const audit: AuditEvent[] = [];
    const stepUp = engine(as, {
      issuers: [as.remoteConfig({ jwksCooldown: 1000, jwksCacheMaxAge: 60_000 })],
      fetch: as.fetch,
      now: time.now,
      audit: (e) => audit.push(e),
    });
    const token = await as.authorization(standard, { expiresIn: 3600 });
    await stepUp.decide('read', get(token));
    await stepUp.decide('read', get(token)); // verified again: admitted to the cache
    time.advance(2);
    // An unknown kid reloads the same set.
    await stepUp.decide('read', get(await as.authorization(standard, { header: { kid: 'other' } })));
    expect(as.jwksRequests).toBe(2);
    expect(codeOf(await stepUp.decide('read', get(token)))).toBe('allowed');
    expect(audit.at(-1)?.cached).toBe(true);
  });
});

describe('the JWKS fetch gate: at most one fetch per issuer per cooldown, whatever the outcome', () => {
  it.each<Mode>(['refused', 'status-500', 'garbage', 'hang'])(
    'an issuer whose keys were never loaded, endpoint %s: a flood of tokens makes one fetch',
    async (mode) => {
      const as = await issuer();
      const time = clock();
      const jwks = endpoint(as);
      jwks.set(mode);
      const stepUp = engine(as, {
        issuers: [as.remoteConfig({ jwksCooldown: 30_000, jwksTimeout: 50 })],
        fetch: jwks.fetch,
        now: time.now,
        cache: false,
      });
      expect(new Set(await flood(stepUp, as, 50))).toEqual(new Set(['ERR_JWKS_UNAVAILABLE']));
      expect(new Set(await flood(stepUp, as, 20, () => as.jwks.keys[0]!.kid!))).toEqual(
        new Set(['ERR_JWKS_UNAVAILABLE']),
      );
      expect(jwks.requests).toBe(1);
      time.advance(29);
      await flood(stepUp, as, 10);
      expect(jwks.requests).toBe(1);
    },
  );

  it('backs off on repeated failure, and recovers', async () => {
    const as = await issuer();
    const time = clock();
    const jwks = endpoint(as);
    jwks.set('status-500');
    const stepUp = engine(as, {
      issuers: [as.remoteConfig({ jwksCooldown: 10_000 })],
      fetch: jwks.fetch,
      now: time.now,
    });
    const retryAfter = async () => {
      const d = await stepUp.decide('read', get(await as.authorization(standard)));
      return d.allowed ? undefined : d.error.headers['retry-after'];
    };
    // Gate closed for 10 s, then 20 s, then 40 s after consecutive failures.
    expect(await retryAfter()).toBe('10');
    time.advance(10);
    expect(await retryAfter()).toBe('20');
    expect(jwks.requests).toBe(2);
    time.advance(19);
    expect(await retryAfter()).toBe('1');
    expect(jwks.requests).toBe(2);
    time.advance(1);
    expect(await retryAfter()).toBe('40');
    expect(jwks.requests).toBe(3);
    jwks.set('ok');
    time.advance(40);
    expect(codeOf(await stepUp.decide('read', get(await as.authorization(standard))))).toBe('allowed');
    expect(jwks.requests).toBe(4);
  });

  it('with fresh keys, a flood of unknown kids during an outage makes one refetch, then 401s', async () => {
    const as = await issuer();
    const time = clock();
    const jwks = endpoint(as);
    const stepUp = engine(as, {
      issuers: [as.remoteConfig({ jwksCooldown: 30_000 })],
      fetch: jwks.fetch,
      now: time.now,
    });
    expect(codeOf(await stepUp.decide('read', get(await as.authorization(standard))))).toBe('allowed');
    jwks.set('refused');
    time.advance(31);
    const codes = await flood(stepUp, as, 40);
    expect(jwks.requests).toBe(2);
    // Those that joined the failed refetch learn of the outage; later ones find the gate closed.
    expect(codes).toContain('ERR_JWKS_UNAVAILABLE');
    expect(codes.every((c) => c === 'ERR_JWKS_UNAVAILABLE' || c === 'ERR_TOKEN_KEY_UNKNOWN')).toBe(true);
    expect(new Set(await flood(stepUp, as, 10))).toEqual(new Set(['ERR_TOKEN_KEY_UNKNOWN']));
    expect(jwks.requests).toBe(2);
    // Tokens of the known key keep working meanwhile.
    expect(codeOf(await stepUp.decide('read', get(await as.authorization(standard))))).toBe('allowed');
  });

  it('the outage answer is 503 with Retry-After and no challenge, never the network error', async () => {
    const as = await issuer();
    const jwks = endpoint(as);
    jwks.set('refused');
    const stepUp = engine(as, { issuers: [as.remoteConfig()], fetch: jwks.fetch });
    const d = await stepUp.decide('read', get(await as.authorization(standard)));
    expect(d.allowed).toBe(false);
    if (d.allowed) return;
    expect([d.error.status, d.error.headers, d.error.body]).toEqual([
      503,
      { 'cache-control': 'no-store', 'retry-after': '30' },
      {
        error: 'temporarily_unavailable',
        error_description: 'The authorization server keys are unavailable; try again later',
        code: 'ERR_JWKS_UNAVAILABLE',
      },
    ]);
    expect(JSON.stringify(d.error.body)).not.toContain('ECONNREFUSED');
  });
});

describe('a token without kid', () => {
  async function twoKeyIssuer() {
    const as = await issuer();
    const other = await generateKeyPair('ES256');
    const otherJwk = { ...(await exportJWK(other.publicKey)), alg: 'ES256', use: 'sig' };
    const rsa = await generateKeyPair('RS256');
    const rsaJwk = { ...(await exportJWK(rsa.publicKey)), use: 'sig' };
    // The token's key is the last of three; the other EC key comes first.
    const jwks = { keys: [otherJwk, rsaJwk, { ...as.jwks.keys[0]!, kid: undefined }] };
    return { as, jwks, other };
  }

  it('is tried against each key of the algorithm’s type, in order', async () => {
    const { as, jwks, other } = await twoKeyIssuer();
    const stepUp = engine(as, { issuers: [as.config({ jwks })] });
    const unnamed = await as.authorization(standard, { header: { kid: undefined } });
    expect(codeOf(await stepUp.decide('read', get(unnamed)))).toBe('allowed');
    const byOther = await new SignJWT({ ...standard, sub: 'user-2', client_id: 'c', jti: 'j' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .setIssuer(as.issuer)
      .setAudience('https://api.test')
      .setIssuedAt(NOW)
      .setExpirationTime(NOW + 60)
      .sign(other.privateKey);
    const decided = await stepUp.decide('read', get(`Bearer ${byOther}`));
    expect(decided.allowed ? decided.token.subject : decided.error.code).toBe('user-2');
    const stranger = await generateKeyPair('ES256');
    const forged = await new SignJWT({ ...standard, sub: 'user-3', client_id: 'c', jti: 'j' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .setIssuer(as.issuer)
      .setAudience('https://api.test')
      .setIssuedAt(NOW)
      .setExpirationTime(NOW + 60)
      .sign(stranger.privateKey);
    expect(codeOf(await stepUp.decide('read', get(`Bearer ${forged}`)))).toBe('ERR_TOKEN_SIGNATURE');
  });

  it('is refused when more keys match than the bound allows (no signature checks at all)', async () => {
    const as = await issuer();
    const keys = [as.jwks.keys[0]!];
    for (let i = 0; i < 4; i++)
      keys.push({ ...(await exportJWK((await generateKeyPair('ES256')).publicKey)) });
    const stepUp = engine(as, { issuers: [as.config({ jwks: { keys } })] });
    const unnamed = await as.authorization(standard, { header: { kid: undefined } });
    expect(codeOf(await stepUp.decide('read', get(unnamed)))).toBe('ERR_TOKEN_KEY_UNKNOWN');
  });
});

describe('verifications that wait for the key set', () => {
  it('decide each token on its own signature when several were parsed before the keys arrived', async () => {
    // Each token is split and decoded before the first fetch of the set completes, so each is verified
    // after others were parsed: the signature bytes the parser keeps for the next verification are
    // another token's by then, and must not be used for this one.
    const as = await issuer();
    const stepUp = engine(as, { issuers: [as.remoteConfig()], fetch: as.fetch });
    const valid = await Promise.all(
      Array.from({ length: 4 }, (_, i) => as.authorization({ ...standard, sub: `user-${i}` })),
    );
    // One with another valid token's signature: refused, whichever token was parsed last.
    const [h, p] = valid[1]!.split('.');
    const swapped = `${h}.${p}.${valid[2]!.split('.')[2]}`;
    const order = [valid[0]!, swapped, valid[1]!, valid[2]!, swapped, valid[3]!];
    const codes = await Promise.all(order.map(async (t) => codeOf(await stepUp.decide('read', get(t)))));
    expect(codes).toEqual([
      'allowed',
      'ERR_TOKEN_SIGNATURE',
      'allowed',
      'allowed',
      'ERR_TOKEN_SIGNATURE',
      'allowed',
    ]);
    expect(as.jwksRequests).toBe(1);
  });
});
