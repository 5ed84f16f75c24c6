import { type AuditEvent, type Challenge, createStepUp, isStepUpError, StepUpError } from '@stepup/core';
import { describe, expect, it } from 'vitest';
import { ACR, clock, engine, get, issuer, LEVELS, NOW, now } from './helpers.js';

const standard = { acr: ACR.standard, auth_time: NOW - 10 };

describe('decisions', () => {
  it('allows with the verified token, the requirement and the level', async () => {
    const as = await issuer();
    const decision = await engine(as).decide(
      'read',
      get(await as.authorization({ ...standard, amr: ['hwk'], scope: 'a b' })),
    );
    expect(decision.allowed).toBe(true);
    if (!decision.allowed) return;
    expect(decision.level).toBe('standard');
    expect(decision.token).toMatchObject({
      issuer: 'https://issuer.test',
      subject: 'user-1',
      clientId: 'test-client',
      acr: ACR.standard,
      amr: ['hwk'],
      authTime: NOW - 10,
      expiresAt: NOW + 300,
    });
    expect([...decision.token.scopes]).toEqual(['a', 'b']);
    expect(decision.requirement.acrValues).toEqual([ACR.standard, ACR.high]);
  });

  it('reads scp arrays as scopes', async () => {
    const as = await issuer();
    const stepUp = engine(as, { operations: { s: { scope: ['x', 'y'] } } });
    expect((await stepUp.decide('s', get(await as.authorization({ scp: ['x', 'y'] })))).allowed).toBe(true);
    const denied = await stepUp.decide('s', get(await as.authorization({ scp: ['x'] })));
    expect(denied.allowed ? undefined : denied.error.headers['www-authenticate']).toBe(
      'Bearer error="insufficient_scope", error_description="The access token lacks a required scope", scope="y"',
    );
    const bad = await stepUp.decide('s', get(await as.authorization({ scope: 7 })));
    expect(bad.allowed ? undefined : bad.error.code).toBe('ERR_TOKEN_CLAIMS');
  });

  it('bounds the token before parsing it: a 100 kB token is invalid_token, not a crash', async () => {
    const as = await issuer();
    const decision = await engine(as).decide(
      'read',
      get(await as.authorization({ ...standard, pad: 'x'.repeat(100_000) })),
    );
    expect(decision.allowed ? undefined : [decision.error.code, decision.error.status]).toEqual([
      'ERR_TOKEN_TOO_LARGE',
      401,
    ]);
  });

  it('adds resource_metadata (RFC 9728) and a realm to every challenge', async () => {
    const as = await issuer();
    const stepUp = engine(as, {
      realm: 'bank',
      resourceMetadata: 'https://api.test/.well-known/oauth-protected-resource',
    });
    const none = await stepUp.decide('read', get());
    expect(none.allowed ? undefined : none.error.headers).toEqual({
      'cache-control': 'no-store',
      'www-authenticate':
        'Bearer realm="bank", resource_metadata="https://api.test/.well-known/oauth-protected-resource"',
    });
    const weak = await stepUp.decide('pay', get(await as.authorization(standard)));
    expect(weak.allowed ? undefined : weak.error.headers['www-authenticate']).toBe(
      'Bearer realm="bank", error="insufficient_user_authentication", error_description="A stronger authentication is required (level high)", acr_values="urn:stepup:acr:high", max_age="300", resource_metadata="https://api.test/.well-known/oauth-protected-resource"',
    );
  });

  it('renders a vendor dialect through formatChallenge, still with the one serializer', async () => {
    const as = await issuer();
    const stepUp = engine(as, {
      formatChallenge: (error): Challenge[] => [
        error.isStepUp
          ? {
              scheme: 'Bearer',
              params: {
                error: 'insufficient_claims',
                claims: btoa(JSON.stringify({ acr: error.details.acrValues })),
              },
            }
          : { scheme: 'Bearer', params: error.error ? { error: error.error } : {} },
        { scheme: 'DPoP', params: { algs: 'ES256' } },
      ],
    });
    const weak = await stepUp.decide('pay', get(await as.authorization(standard)));
    expect(weak.allowed ? undefined : weak.error.headers['www-authenticate']).toBe(
      `Bearer error="insufficient_claims", claims="${btoa('{"acr":["urn:stepup:acr:high"]}')}", DPoP algs="ES256"`,
    );
  });

  it('computes requirements per request and refuses invalid computed ones as programming errors', async () => {
    const as = await issuer();
    const stepUp = engine(as, {
      operations: {
        bad: () => ({ level: 'platinum' }),
        worse: () => ({ maxAge: 0 }) as never,
        byParam: ({ request }) =>
          request.params?.id === 'vault' ? { level: 'high' } : { level: 'standard' },
      },
    });
    const token = await as.authorization(standard);
    await expect(stepUp.decide('bad', get(token))).rejects.toMatchObject({
      code: 'ERR_POLICY_INVALID',
      status: 500,
    });
    await expect(stepUp.decide('worse', get(token))).rejects.toMatchObject({
      code: 'ERR_POLICY_INVALID',
      details: { path: 'maxAge' },
    });
    const vault = await stepUp.decide('byParam', { ...get(token), params: { id: 'vault' } });
    expect(vault.allowed ? undefined : vault.error.code).toBe('ERR_ACR_INSUFFICIENT');
    expect((await stepUp.decide('byParam', { ...get(token), params: { id: 'checking' } })).allowed).toBe(
      true,
    );
  });

  it('refuses a token in the form body', async () => {
    const as = await issuer();
    const decision = await engine(as).decide('read', {
      ...get(),
      method: 'POST',
      body: { access_token: await as.mint() },
    });
    expect(decision.allowed ? undefined : decision.error.code).toBe('ERR_REQUEST_MALFORMED');
  });

  it('refuses an auth_time in the future and a malformed amr', async () => {
    const as = await issuer();
    for (const claims of [
      { ...standard, auth_time: NOW + 600 },
      { ...standard, amr: 'hwk' },
      { ...standard, sub: '' },
    ]) {
      const decision = await engine(as).decide('read', get(await as.authorization(claims)));
      expect(decision.allowed ? undefined : decision.error.code).toBe('ERR_TOKEN_CLAIMS');
    }
  });

  it('refuses crit even when jose recognizes the name (b64), and other JOSE oddities', async () => {
    const as = await issuer();
    const stepUp = engine(as);
    const b64 = await stepUp.decide(
      'read',
      get(await as.authorization(standard, { header: { crit: ['b64'], b64: true } })),
    );
    expect(b64.allowed ? undefined : b64.error.code).toBe('ERR_TOKEN_CRIT');
    // A JWE-shaped token: five segments, not a JWS.
    const jwe = await stepUp.decide(
      'read',
      get(`Bearer ${(await as.mint(standard)).split('.').join('.')}.x.y`),
    );
    expect(jwe.allowed ? undefined : jwe.error.code).toBe('ERR_TOKEN_MALFORMED');
  });

  it('maps a wrong issuer found by jose (allow-listed iss, other expected) to ERR_TOKEN_ISSUER', async () => {
    const as = await issuer();
    // Two issuer entries share keys; a token naming one is checked against that one only.
    const other = { ...as.config(), issuer: 'https://issuer-b.test' };
    const stepUp = engine(as, { issuers: [as.config(), other] });
    const d = await stepUp.decide(
      'read',
      get(await as.authorization({ ...standard, iss: 'https://issuer-b.test' })),
    );
    expect(d.allowed).toBe(true);
  });

  it('lets a legacyClaims issuer omit client_id and jti, never exp', async () => {
    const as = await issuer();
    const stepUp = engine(as, { issuers: [as.config({ legacyClaims: true })] });
    expect(
      (await stepUp.decide('read', get(await as.authorization(standard, { omit: ['jti', 'client_id'] }))))
        .allowed,
    ).toBe(true);
    const noExp = await stepUp.decide('read', get(await as.authorization(standard, { omit: ['exp'] })));
    expect(noExp.allowed ? undefined : noExp.error.code).toBe('ERR_TOKEN_CLAIMS');
  });

  it('accepts several audiences', async () => {
    const as = await issuer({ audience: ['https://other.test', 'https://api.test'] });
    const stepUp = engine(as, { issuers: [as.config({ audience: ['https://api.test'] })] });
    expect((await stepUp.decide('read', get(await as.authorization(standard)))).allowed).toBe(true);
  });
});

describe('audit hook', () => {
  it('is called once per decision with facts, never the token', async () => {
    const as = await issuer();
    const events: AuditEvent[] = [];
    const stepUp = engine(as, { audit: (e) => events.push(e) });
    const token = await as.authorization(standard);
    await stepUp.decide('read', get(token));
    await stepUp.decide('read', get(token)); // verified again: admitted to the cache
    await stepUp.decide('read', get(token));
    await stepUp.decide('pay', get(token));
    await stepUp.decide('read', get());
    const verified = {
      operation: 'read',
      outcome: 'allow',
      status: 200,
      cached: false,
      sub: 'user-1',
      issuer: as.issuer,
      acr: ACR.standard,
      level: 'standard',
    };
    expect(events.map(({ durationMs, ...rest }) => rest)).toEqual([
      verified,
      verified,
      {
        operation: 'read',
        outcome: 'allow',
        status: 200,
        cached: true,
        sub: 'user-1',
        issuer: as.issuer,
        acr: ACR.standard,
        level: 'standard',
      },
      {
        operation: 'pay',
        outcome: 'deny',
        status: 401,
        cached: true,
        code: 'ERR_ACR_INSUFFICIENT',
        sub: 'user-1',
        issuer: as.issuer,
        acr: ACR.standard,
        level: 'high',
      },
      { operation: 'read', outcome: 'deny', status: 401, cached: false, code: 'ERR_TOKEN_MISSING' },
    ]);
    for (const e of events) expect(e.durationMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(events)).not.toContain(token.slice(7, 40));
  });

  it('a throwing hook does not change the decision and is reported to the logger', async () => {
    const as = await issuer();
    const warnings: string[] = [];
    const stepUp = engine(as, {
      audit: () => {
        throw new Error('disk full');
      },
      logger: { warn: (message) => warnings.push(message) },
    });
    expect((await stepUp.decide('read', get(await as.authorization(standard)))).allowed).toBe(true);
    expect(warnings).toEqual(['stepup: the audit hook threw']);
  });
});

describe('verified-token cache', () => {
  it('a hit never outlives exp', async () => {
    const t = clock();
    const as = await issuer({ now: t.now });
    const stepUp = engine(as, { now: t.now, clockTolerance: 0 });
    const token = await as.authorization({ ...standard }, { expiresIn: 60 });
    expect((await stepUp.decide('read', get(token))).allowed).toBe(true);
    t.advance(59);
    expect((await stepUp.decide('read', get(token))).allowed).toBe(true);
    t.advance(1);
    const late = await stepUp.decide('read', get(token));
    expect(late.allowed ? undefined : late.error.code).toBe('ERR_TOKEN_EXPIRED');
  });

  it('re-checks maxAge on hits (time moves, the token does not)', async () => {
    const t = clock();
    const as = await issuer({ now: t.now });
    const stepUp = engine(as, { now: t.now, clockTolerance: 0 });
    const token = await as.authorization({ acr: ACR.high, auth_time: NOW - 200 }, { expiresIn: 3600 });
    expect((await stepUp.decide('pay', get(token))).allowed).toBe(true);
    t.advance(101);
    const stale = await stepUp.decide('pay', get(token));
    expect(stale.allowed ? undefined : stale.error.code).toBe('ERR_AUTH_TIME_TOO_OLD');
  });

  it('two tokens that differ in one character never share an entry', async () => {
    const as = await issuer();
    const audit: AuditEvent[] = [];
    const stepUp = engine(as, { audit: (e) => audit.push(e) });
    const token = await as.mint(standard);
    expect((await stepUp.decide('read', get(`Bearer ${token}`))).allowed).toBe(true);
    const sig = token.lastIndexOf('.') + 5;
    const twin = token.slice(0, sig) + (token[sig] === 'A' ? 'B' : 'A') + token.slice(sig + 1);
    const decision = await stepUp.decide('read', get(`Bearer ${twin}`));
    expect(decision.allowed ? undefined : decision.error.code).toBe('ERR_TOKEN_SIGNATURE');
    expect(audit.map((e) => e.cached)).toEqual([false, false]);
  });

  it('checks the characters of every token it does not hold, also right after holding a twin', async () => {
    const as = await issuer();
    const stepUp = engine(as);
    const token = await as.mint(standard);
    expect((await stepUp.decide('read', get(`Bearer ${token}`))).allowed).toBe(true);
    // The same signature tail (where entries are filed), a character no b64token has.
    for (const twin of [`${token.slice(0, 10)}!${token.slice(11)}`, `!${token}`]) {
      const decision = await stepUp.decide('read', get(`Bearer ${twin}`));
      expect(decision.allowed ? undefined : [decision.error.code, decision.error.status]).toEqual([
        'ERR_REQUEST_MALFORMED',
        400,
      ]);
    }
    expect((await stepUp.decide('read', get(`Bearer ${token}`))).allowed).toBe(true);
  });

  it('refuses in the same order whether or not the token splits as a compact JWS', async () => {
    const as = await issuer();
    const stepUp = engine(as, { dpop: { origin: 'https://api.test', required: true } });
    const token = await as.mint(standard);
    const [h, p, s] = token.split('.') as [string, string, string];
    const codeFor = async (credential: string) => {
      const d = await stepUp.decide('read', get(`Bearer ${credential}`));
      return d.allowed ? 'allowed' : `${d.error.code} ${d.error.status}`;
    };
    // A character outside b64token: the request is malformed, before the DPoP requirement.
    expect(await codeFor(`${h}.${p}.${s}!`)).toBe('ERR_REQUEST_MALFORMED 400');
    // A b64token that is not a compact JWS, or one whose payload is not JSON: the DPoP requirement
    // comes first, as it did when the characters were scanned before it.
    const notJson = Buffer.from('{"sub":').toString('base64url');
    for (const credential of [`${h}.${p}.${s}~`, `${h}.${p}+.${s}`, `${h}.${notJson}.${s}`, token])
      expect(await codeFor(credential)).toBe('ERR_DPOP_REQUIRED 401');
    const plain = engine(as);
    for (const credential of [`${h}.${p}.${s}~`, `${h}.${p}+.${s}`, `${h}.${notJson}.${s}`]) {
      const d = await plain.decide('read', get(`Bearer ${credential}`));
      expect(d.allowed ? undefined : [d.error.code, d.error.status]).toEqual(['ERR_TOKEN_MALFORMED', 401]);
    }
  });

  it('admits a token the second time it is verified, so tokens presented once never evict one in use', async () => {
    const as = await issuer();
    const audit: AuditEvent[] = [];
    const stepUp = engine(as, { cache: { max: 2 }, audit: (e) => audit.push(e) });
    const [a, ...once] = await Promise.all([1, 2, 3, 4, 5].map(() => as.authorization(standard)));
    // a, a (admitted), a (hit), four tokens seen once each (none stored), a (still a hit).
    for (const token of [a!, a!, a!, ...once, a!]) await stepUp.decide('read', get(token));
    expect(audit.map((e) => e.cached)).toEqual([false, false, true, false, false, false, false, true]);
    // Under 'first' admission the same sequence leaves no room for a: its entry is evicted.
    const eager: AuditEvent[] = [];
    const first = engine(as, { cache: { max: 2, admit: 'first' }, audit: (e) => eager.push(e) });
    for (const token of [a!, a!, a!, ...once, a!]) await first.decide('read', get(token));
    expect(eager.map((e) => e.cached)).toEqual([false, true, true, false, false, false, false, false]);
    // clearCache forgets the tokens seen once, too.
    stepUp.clearCache();
    await stepUp.decide('read', get(once[0]!));
    await stepUp.decide('read', get(once[0]!));
    await stepUp.decide('read', get(once[0]!));
    expect(audit.slice(-3).map((e) => e.cached)).toEqual([false, false, true]);
  });

  it('is bounded (second chance: a recently used entry survives eviction) and can be turned off or cleared', async () => {
    const as = await issuer();
    const audit: AuditEvent[] = [];
    const stepUp = engine(as, { cache: { max: 2, admit: 'first' }, audit: (e) => audit.push(e) });
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => as.authorization(standard)));
    for (const token of [a, b, a, c, a, b]) await stepUp.decide('read', get(token));
    expect(audit.map((e) => e.cached)).toEqual([false, false, true, false, true, false]);
    stepUp.clearCache();
    await stepUp.decide('read', get(a));
    expect(audit.at(-1)?.cached).toBe(false);

    const off: AuditEvent[] = [];
    const uncached = engine(as, { cache: false, audit: (e) => off.push(e) });
    await uncached.decide('read', get(a));
    await uncached.decide('read', get(a));
    expect(off.map((e) => e.cached)).toEqual([false, false]);
    uncached.clearCache();
  });
});

describe('remote JWKS', () => {
  it('fetches only for allow-listed issuers, once, through the injected fetch', async () => {
    const as = await issuer();
    const stranger = await issuer({ issuer: 'https://stranger.test' });
    let calls = 0;
    const fetch = (async (...args: Parameters<typeof globalThis.fetch>) => {
      calls++;
      return as.fetch(...args);
    }) as typeof globalThis.fetch;
    const stepUp = engine(as, { issuers: [as.remoteConfig()], fetch, cache: false });
    const denied = await stepUp.decide('read', get(await stranger.authorization(standard)));
    expect(denied.allowed ? undefined : denied.error.code).toBe('ERR_TOKEN_ISSUER');
    expect(calls).toBe(0);
    for (let i = 0; i < 3; i++)
      expect((await stepUp.decide('read', get(await as.authorization(standard)))).allowed).toBe(true);
    expect(calls).toBe(1);
  });

  it('refetches at most once per cooldown on unknown kids', async () => {
    const as = await issuer();
    const stepUp = engine(as, { issuers: [as.remoteConfig()], fetch: as.fetch });
    await stepUp.decide('read', get(await as.authorization(standard)));
    expect(as.jwksRequests).toBe(1);
    // The default cooldown (30 s, on the wall clock) starts at that fetch: unknown kids do not refetch.
    for (let i = 0; i < 5; i++) {
      const d = await stepUp.decide(
        'read',
        get(await as.authorization(standard, { header: { kid: `nope-${i}` } })),
      );
      expect(d.allowed ? undefined : d.error.code).toBe('ERR_TOKEN_KEY_UNKNOWN');
    }
    expect(as.jwksRequests).toBe(1);
  });

  it('picks up a rotated key with one refetch, and drops cached tokens of the old key set', async () => {
    const as = await issuer();
    const audit: AuditEvent[] = [];
    const time = clock();
    const stepUp = engine(as, {
      issuers: [as.remoteConfig({ jwksCooldown: 1000 })],
      fetch: as.fetch,
      audit: (e) => audit.push(e),
      now: time.now,
    });
    const old = await as.authorization(standard);
    // Verified twice (admitted to the cache), then a cache hit.
    for (let i = 0; i < 3; i++) expect((await stepUp.decide('read', get(old))).allowed).toBe(true);
    await as.rotate();
    time.advance(2);
    expect((await stepUp.decide('read', get(await as.authorization(standard)))).allowed).toBe(true);
    expect(as.jwksRequests).toBe(2);
    const again = await stepUp.decide('read', get(old));
    expect(audit.map((e) => e.cached)).toEqual([false, false, true, false, false]);
    expect(again.allowed ? undefined : again.error.code).toBe('ERR_TOKEN_KEY_UNKNOWN');
  });

  it('a JWKS outage is a 503 that never leaks the network error', async () => {
    const as = await issuer();
    const warnings: unknown[] = [];
    const stepUp = engine(as, {
      issuers: [as.remoteConfig()],
      fetch: async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.7:443 /etc/secret/path');
      },
      logger: { warn: (...args) => warnings.push(args) },
    });
    const decision = await stepUp.decide('read', get(await as.authorization(standard)));
    expect(decision.allowed).toBe(false);
    if (decision.allowed) return;
    expect(decision.error.status).toBe(503);
    expect(decision.error.code).toBe('ERR_JWKS_UNAVAILABLE');
    // The gate stays closed for the cooldown (30 s by default): clients are told when to come back.
    expect(decision.error.headers).toEqual({ 'cache-control': 'no-store', 'retry-after': '30' });
    const wire = JSON.stringify([decision.error.body, decision.error.headers, decision.error.message]);
    expect(wire).not.toMatch(/ECONNREFUSED|10\.0\.0\.7|\/etc/);
    expect(warnings).toHaveLength(1);
  });

  it('a JWKS answering garbage is an outage too', async () => {
    const as = await issuer();
    const stepUp = engine(as, {
      issuers: [as.remoteConfig()],
      fetch: async () => new Response('<html>', { status: 200 }),
    });
    const decision = await stepUp.decide('read', get(await as.authorization(standard)));
    expect(decision.allowed ? undefined : decision.error.code).toBe('ERR_JWKS_UNAVAILABLE');
  });
});

describe('StepUpError', () => {
  it('carries status, statusCode, a JSON body and a stable code', () => {
    const error = new StepUpError('ERR_AUTH_TIME_TOO_OLD', 'old', {
      details: { acrValues: ['a', 'b'], maxAge: 60 },
    });
    expect([error.status, error.statusCode, error.error, error.isStepUp]).toEqual([
      401,
      401,
      'insufficient_user_authentication',
      true,
    ]);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      error: 'insufficient_user_authentication',
      error_description: 'old',
      code: 'ERR_AUTH_TIME_TOO_OLD',
      acr_values: 'a b',
      max_age: 60,
    });
    expect(isStepUpError(error)).toBe(true);
    const foreign = Object.assign(new Error('x'), { name: 'StepUpError', code: 'ERR_TOKEN_MISSING' });
    expect(isStepUpError(foreign)).toBe(true);
    expect(isStepUpError(new Error('x'))).toBe(false);
  });
});

describe('levels', () => {
  it('maps acr values to levels and rejects unknown level names', () => {
    const stepUp = createStepUp({
      issuers: [
        {
          issuer: 'i',
          audience: 'a',
          jwks: { keys: [{ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }] },
        },
      ],
      levels: LEVELS,
      operations: {},
      now,
    });
    expect(stepUp.levels.levelOf(ACR.high)).toBe('high');
    expect(stepUp.levels.levelOf('urn:nope')).toBeUndefined();
    expect(stepUp.levels.levelOf(undefined)).toBeUndefined();
    expect(() => stepUp.levels.accepted('platinum')).toThrow(RangeError);
  });
});

describe('decideSync', () => {
  it('answers cache hits and early denials synchronously, and defers verification to decide', async () => {
    const as = await issuer();
    const audit: AuditEvent[] = [];
    const stepUp = engine(as, { audit: (e) => audit.push(e) });
    const token = await as.authorization(standard);
    expect(stepUp.decideSync('read', get(token))).toBeUndefined();
    expect(audit).toEqual([]);
    expect((await stepUp.decide('read', get(token))).allowed).toBe(true);
    // Verified once, not cached yet (admitted the second time it is verified).
    expect(stepUp.decideSync('read', get(token))).toBeUndefined();
    expect((await stepUp.decide('read', get(token))).allowed).toBe(true);
    const hit = stepUp.decideSync('read', get(token));
    expect(hit?.allowed && hit.token.subject).toBe('user-1');
    const weak = stepUp.decideSync('pay', get(token));
    expect(weak?.allowed === false && weak.error.headers['www-authenticate']).toBe(
      'Bearer error="insufficient_user_authentication", error_description="A stronger authentication is required (level high)", acr_values="urn:stepup:acr:high", max_age="300"',
    );
    const missing = stepUp.decideSync('read', get());
    expect(missing?.allowed === false && missing.error.code).toBe('ERR_TOKEN_MISSING');
    expect(audit.map((e) => [e.outcome, e.cached])).toEqual([
      ['allow', false],
      ['allow', false],
      ['allow', true],
      ['deny', true],
      ['deny', false],
    ]);
    expect(() => stepUp.decideSync('nope', get(token))).toThrowError(
      expect.objectContaining({ code: 'ERR_OPERATION_UNKNOWN' }),
    );
  });

  it('never answers from the cache when it is off', async () => {
    const as = await issuer();
    const stepUp = engine(as, { cache: false });
    const token = await as.authorization(standard);
    await stepUp.decide('read', get(token));
    expect(stepUp.decideSync('read', get(token))).toBeUndefined();
  });

  it('keeps policy bugs out of the error message', async () => {
    const as = await issuer();
    const stepUp = engine(as, { operations: { bad: () => ({ level: 'platinum', secret: 'x' }) as never } });
    const error = await stepUp.decide('bad', get(await as.authorization(standard))).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ERR_POLICY_INVALID',
      message: 'Internal error: a computed requirement is invalid',
    });
  });
});

describe('request grammar (RFC 6750 §2.1, §2.3)', () => {
  it.each([
    ['a tab after the scheme', (t: string) => `Bearer\t${t}`],
    ['a comma after the scheme', (t: string) => `Bearer,${t}`],
    ['a no-break space after the scheme', (t: string) => `Bearer\u00a0${t}`],
    ['a trailing space', (t: string) => `Bearer ${t} `],
    ['a second credential', (t: string) => `Bearer ${t} Bearer ${t}`],
  ])('%s is 400 invalid_request', async (_, header) => {
    const as = await issuer();
    const d = await engine(as).decide('read', get(header(await as.mint(standard))));
    expect(d.allowed ? undefined : [d.error.status, d.error.code]).toEqual([400, 'ERR_REQUEST_MALFORMED']);
  });

  it('several spaces after the scheme are allowed (1*SP); another scheme is no credential', async () => {
    const as = await issuer();
    const token = await as.mint(standard);
    expect((await engine(as).decide('read', get(`Bearer   ${token}`))).allowed).toBe(true);
    const other = await engine(as).decide('read', get(`Bearerx ${token}`));
    expect(other.allowed ? undefined : other.error.code).toBe('ERR_TOKEN_MISSING');
  });

  it.each([
    ['access_token=abc', 'plain'],
    ['access%5Ftoken=abc', 'an encoded underscore'],
    ['%61ccess_token=abc', 'an encoded letter'],
    ['%61%63%63%65%73%73%5F%74%6F%6B%65%6E=abc', 'every character encoded'],
    ['x=1&access_token', 'without a value, after another parameter'],
  ])('a token in the query is refused however its name is encoded: ?%s (%s)', async (query) => {
    const as = await issuer();
    const d = await engine(as).decide('read', get(await as.authorization(standard), `/r?${query}`));
    expect(d.allowed ? undefined : [d.error.status, d.error.code]).toEqual([400, 'ERR_REQUEST_MALFORMED']);
  });

  it('other query parameters, including look-alikes, are fine', async () => {
    const as = await issuer();
    for (const query of ['?access_tokens=1', '?x=access_token', '?a=%20b', '?token=1#access_token=2'])
      expect(
        (await engine(as).decide('read', get(await as.authorization(standard), `/r${query}`))).allowed,
      ).toBe(true);
  });
});

describe('one string per token', () => {
  /** Changes the last character of a segment to one that decodes to the same bytes. */
  function twinOf(segment: string): string | undefined {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const rest = segment.length % 4;
    if (rest === 0) return undefined;
    const value = alphabet.indexOf(segment.at(-1)!);
    // The lowest bit of the last character is unused when the length is 2 or 3 mod 4.
    const twin = alphabet[value | 0x01];
    return twin === segment.at(-1) ? undefined : segment.slice(0, -1) + twin;
  }

  it('refuses a segment with non-zero padding bits, in the header, payload or signature', async () => {
    const as = await issuer();
    const stepUp = engine(as);
    let tried = 0;
    for (let attempt = 0; attempt < 20 && tried < 3; attempt++) {
      const token = await as.mint({ ...standard, pad: 'x'.repeat(attempt) });
      const parts = token.split('.');
      for (let i = 0; i < 3; i++) {
        const twin = twinOf(parts[i]!);
        if (twin === undefined) continue;
        const mutated = parts.map((p, j) => (j === i ? twin : p)).join('.');
        // The same bytes: a lenient decoder would accept both strings.
        expect(Buffer.from(twin, 'base64url')).toEqual(Buffer.from(parts[i]!, 'base64url'));
        expect((await stepUp.decide('read', get(`Bearer ${token}`))).allowed).toBe(true);
        const d = await stepUp.decide('read', get(`Bearer ${mutated}`));
        expect(d.allowed ? undefined : d.error.code).toBe('ERR_TOKEN_MALFORMED');
        tried++;
      }
    }
    expect(tried).toBeGreaterThanOrEqual(3);
  });
});

describe('the engine’s own faults are 500s, never client errors', () => {
  it('a formatChallenge that throws gives 500 ERR_CHALLENGE_INVALID with a generic body, and logs', async () => {
    const as = await issuer();
    const errors: unknown[] = [];
    const stepUp = engine(as, {
      formatChallenge: () => {
        throw new Error('secret detail');
      },
      logger: { warn: () => undefined, error: (message, data) => errors.push([message, data]) },
    });
    const d = await stepUp.decide('read', get());
    expect(d.allowed ? undefined : [d.error.status, d.error.code, d.error.headers, d.error.body]).toEqual([
      500,
      'ERR_CHALLENGE_INVALID',
      { 'cache-control': 'no-store' },
      { error: 'server_error', error_description: 'Internal error', code: 'ERR_CHALLENGE_INVALID' },
    ]);
    expect(errors).toEqual([
      ['stepup: formatChallenge failed', { code: 'ERR_TOKEN_MISSING', error: 'secret detail' }],
    ]);
  });

  it('a formatChallenge returning what the serializer refuses is the same 500, logged to warn without error', async () => {
    const as = await issuer();
    const warnings: string[] = [];
    const stepUp = engine(as, {
      formatChallenge: () => ({ scheme: 'Bearer', params: { error: 'x\r\nSet-Cookie: a=1' } }),
      logger: { warn: (message) => warnings.push(message) },
    });
    const d = await stepUp.decide('read', get());
    expect(d.allowed ? undefined : [d.error.status, d.error.code]).toEqual([500, 'ERR_CHALLENGE_INVALID']);
    expect(warnings).toEqual(['stepup: formatChallenge failed']);
  });

  it('a rendered denial is complete and immutable when it is returned', async () => {
    const as = await issuer();
    const d = await engine(as).decide('read', get());
    if (d.allowed) throw new Error('allowed');
    expect(Object.isFrozen(d.error.headers)).toBe(true);
    expect(Object.isFrozen(d.error.details)).toBe(true);
    expect(() => {
      (d.error.headers as Record<string, string>)['x-evil'] = '1';
    }).toThrow(TypeError);
  });
});

describe('audit timing', () => {
  it('measures durationMs with the injected monotonic clock, and reads no clock without a hook', async () => {
    const as = await issuer();
    let ticks = 0;
    const events: AuditEvent[] = [];
    const monotonic = () => {
      ticks++;
      return ticks * 7;
    };
    const stepUp = engine(as, { monotonic, audit: (e) => events.push(e) });
    await stepUp.decide('read', get(await as.authorization(standard)));
    expect(events.map((e) => e.durationMs)).toEqual([7]);
    ticks = 0;
    const silent = engine(as, { monotonic });
    await silent.decide('read', get(await as.authorization(standard)));
    expect(ticks).toBe(0);
  });
});
