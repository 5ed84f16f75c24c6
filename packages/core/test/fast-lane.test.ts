// The engine's fast lane (`rememberedGrant` in engine/pipeline.ts): a cached token's repeated request
// is answered with the grant it got before. These tests hold it to the full path: every decision must
// be the one an engine without a cache makes for the same request at the same time.
import type { AuditEvent, Decision, StepUpOptions, StepUpRequest } from '@stepup/core';
import type { TestIssuer } from '@stepup/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACR, clock, engine, get, issuer, NOW } from './helpers.js';

const high = { acr: ACR.high, auth_time: NOW - 30, scope: 'accounts:read payments:write' };

/** What a decision says, without object identities (the lane returns the same grant object again). */
function summary(decision: Decision) {
  if (!decision.allowed)
    return {
      allowed: false,
      operation: decision.operation,
      code: decision.error.code,
      status: decision.error.status,
      headers: decision.error.headers,
    };
  return {
    allowed: true,
    operation: decision.operation,
    subject: decision.token.subject,
    level: decision.level,
    requirement: decision.requirement,
    headers: decision.headers,
  };
}

const withoutTiming = ({ durationMs: _d, cached: _c, ...event }: AuditEvent) => event;

/** Engines alike but for the cache: `cached` has one (and so the lane), `uncached` none. */
function pair(as: TestIssuer, time: ReturnType<typeof clock>, options: Partial<StepUpOptions> = {}) {
  const events = { cached: [] as AuditEvent[], uncached: [] as AuditEvent[] };
  const common = {
    now: time.now,
    operations: {
      read: { level: 'standard' },
      pay: { level: 'high', maxAge: 300, scope: 'payments:write' },
      fresh: { level: 'standard', maxAge: 60 },
      computed: ({ request }: { request: StepUpRequest }) =>
        request.url.includes('big') ? { level: 'high', maxAge: 60 } : { level: 'standard' },
    },
    ...options,
  } as Partial<StepUpOptions>;
  return {
    events,
    cached: engine(as, { ...common, audit: (e) => events.cached.push(e) }),
    uncached: engine(as, { ...common, cache: false, audit: (e) => events.uncached.push(e) }),
  };
}

describe('the fast lane of a cached token', () => {
  it('answers the same request again with the same frozen grant, and audits every decision', async () => {
    const as = await issuer();
    const audit: AuditEvent[] = [];
    const stepUp = engine(as, { audit: (e) => audit.push(e) });
    const token = await as.authorization(high);
    const decisions: Decision[] = [];
    for (let i = 0; i < 5; i++) decisions.push(await stepUp.check('read', get(token)));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true]);
    // Verified twice (admitted the second time), judged from the cache, then the lane: the same object.
    expect(decisions[3]).toBe(decisions[2]);
    expect(decisions[4]).toBe(decisions[2]);
    expect(decisions[1]).not.toBe(decisions[2]);
    expect(decisions.every((d) => Object.isFrozen(d))).toBe(true);
    expect(audit.map((e) => [e.outcome, e.cached, e.sub])).toEqual([
      ['allow', false, 'user-1'],
      ['allow', false, 'user-1'],
      ['allow', true, 'user-1'],
      ['allow', true, 'user-1'],
      ['allow', true, 'user-1'],
    ]);
    expect(stepUp.decideSync('read', get(token))).toBe(decisions[2]);
  });

  it('is per operation and per header: another operation or spelling takes the full path', async () => {
    const as = await issuer();
    const stepUp = engine(as);
    const token = await as.mint(high);
    for (let i = 0; i < 3; i++) await stepUp.check('read', get(`Bearer ${token}`));
    const remembered = await stepUp.check('read', get(`Bearer ${token}`));
    expect(await stepUp.check('read', get(`Bearer ${token}`))).toBe(remembered);
    const other = await stepUp.check('read', get(`bearer  ${token}`));
    expect(other.allowed).toBe(true);
    expect(other).not.toBe(remembered);
    const pay = await stepUp.check('pay', get(`Bearer ${token}`));
    expect(pay.allowed && pay.operation).toBe('pay');
    // A token that merely ends like the remembered one (another signature prefix) is verified.
    const forged = `${token.slice(0, token.lastIndexOf('.') + 1)}A${token.slice(token.lastIndexOf('.') + 2)}`;
    const refused = await stepUp.check('read', get(`Bearer ${forged}`));
    expect(refused.allowed ? undefined : refused.error.code).toBe('ERR_TOKEN_SIGNATURE');
  });

  it('refuses a token in the query or the body although the header is the remembered one', async () => {
    const as = await issuer();
    const stepUp = engine(as);
    const token = await as.authorization(high);
    for (let i = 0; i < 4; i++) expect((await stepUp.check('read', get(token))).allowed).toBe(true);
    for (const request of [
      get(token, '/r?access_token=x'),
      get(token, '/r?access%5Ftoken=x'),
      { ...get(token), body: { access_token: 'x' } },
    ]) {
      const decision = await stepUp.check('read', request);
      expect(decision.allowed ? undefined : [decision.error.status, decision.error.code]).toEqual([
        400,
        'ERR_REQUEST_MALFORMED',
      ]);
    }
    const twice = await stepUp.check('read', {
      method: 'GET',
      url: '/r',
      headers: { authorization: [token, token] },
    });
    expect(twice.allowed ? undefined : twice.error.code).toBe('ERR_REQUEST_MALFORMED');
  });

  it('stops at maxAge, at expiry and at a retired key exactly where the full path does', async () => {
    const as = await issuer();
    const time = clock();
    const { cached, uncached } = pair(as, time, { clockTolerance: 5 });
    const token = await as.authorization(high);
    for (let i = 0; i < 4; i++) expect((await cached.check('pay', get(token))).allowed).toBe(true);
    // auth_time is NOW - 30: maxAge 300 plus 5 s of tolerance ends 275 s after NOW.
    time.advance(275);
    expect(summary(await cached.check('pay', get(token)))).toEqual(
      summary(await uncached.check('pay', get(token))),
    );
    expect((await cached.check('pay', get(token))).allowed).toBe(true);
    time.advance(0.001);
    const late = await cached.check('pay', get(token));
    expect(late.allowed ? undefined : late.error.code).toBe('ERR_AUTH_TIME_TOO_OLD');
    // `read` has no maxAge: allowed until the token expires (exp NOW + 300, with 5 s of tolerance).
    for (let i = 0; i < 3; i++) await cached.check('read', get(token));
    time.advance(29.998);
    expect((await cached.check('read', get(token))).allowed).toBe(true);
    time.advance(0.002);
    const expired = await cached.check('read', get(token));
    expect(expired.allowed ? undefined : expired.error.code).toBe('ERR_TOKEN_EXPIRED');
  });

  it('drops the grants of a key the remote set no longer has', async () => {
    const as = await issuer();
    const time = clock();
    const stepUp = engine(as, {
      issuers: [as.remoteConfig({ jwksCooldown: 1000 })],
      fetch: as.fetch,
      now: time.now,
    });
    const old = await as.authorization(high);
    for (let i = 0; i < 5; i++) expect((await stepUp.decide('read', get(old))).allowed).toBe(true);
    await as.rotate();
    time.advance(2);
    expect((await stepUp.decide('read', get(await as.authorization(high)))).allowed).toBe(true);
    const again = await stepUp.decide('read', get(old));
    expect(again.allowed ? undefined : again.error.code).toBe('ERR_TOKEN_KEY_UNKNOWN');
  });

  it('computes a requirement that reads the request on every request', async () => {
    const as = await issuer();
    let calls = 0;
    const stepUp = engine(as, {
      operations: {
        read: () => {
          calls++;
          return { level: 'standard' };
        },
      },
    });
    const token = await as.authorization(high);
    for (let i = 0; i < 6; i++) expect((await stepUp.check('read', get(token))).allowed).toBe(true);
    expect(calls).toBe(6);
  });

  it('decides every sequence of requests and clock moves as an engine without a cache', async () => {
    // Tokens that outlive most sequences, so that maxAge, not expiry, ends most grants.
    const as = await issuer({ expiresIn: 3600 });
    const tokens = [
      await as.mint(high),
      await as.mint({ acr: ACR.standard, auth_time: NOW - 200, scope: 'accounts:read' }),
      await as.mint({ acr: ACR.high, auth_time: NOW - 250 }, { expiresIn: 120 }),
      await as.mint({ ...high, nbf: NOW + 40 }),
      await as.mint({ ...high, cnf: { jkt: 'A'.repeat(43) } }),
      await as.mint({ ...high, sub: 'user-2' }),
    ];
    const headerOf = [
      (t: string) => `Bearer ${t}`,
      (t: string) => `bearer ${t}`,
      (t: string) => `Bearer   ${t}`,
      (t: string) => `DPoP ${t}`,
      (t: string) => `Bearer ${t.slice(0, -1)}`,
    ];
    const urls = ['/r', '/r?big=1', '/r?access_token=1', '/r?x=%41'];
    // Mostly requests the lane can answer, some that it must leave to the full path.
    const step = fc.oneof(
      {
        weight: 5,
        arbitrary: fc.record({
          token: fc.nat(tokens.length - 1),
          header: fc.constantFrom(0, 0, 0, 1, 2, 3, 4),
          url: fc.constantFrom(0, 0, 0, 1, 2, 3),
          body: fc.constantFrom(false, false, false, false, false, true),
          operation: fc.constantFrom('read', 'pay', 'fresh', 'computed'),
        }),
      },
      { weight: 1, arbitrary: fc.record({ advance: fc.integer({ min: -4, max: 90 }) }) },
    );
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 60 }), async (steps) => {
        const time = clock();
        const { cached, uncached, events } = pair(as, time, { clockTolerance: 3 });
        for (const s of steps) {
          if ('advance' in s) {
            time.advance(s.advance);
            continue;
          }
          const request: StepUpRequest = {
            method: 'POST',
            url: urls[s.url]!,
            headers: { authorization: headerOf[s.header]!(tokens[s.token]!) },
            body: s.body ? { access_token: 'x' } : { amount: 1 },
          };
          // Each request twice on the cached engine, so that the lane has a grant to answer with.
          const decided = await cached.check(s.operation, request);
          const repeated = await cached.check(s.operation, request);
          if (repeated === decided) answered++;
          const first = summary(decided);
          const again = summary(repeated);
          const reference = summary(await uncached.check(s.operation, request));
          expect(first).toEqual(reference);
          expect(again).toEqual(reference);
          await uncached.check(s.operation, request);
        }
        expect(events.cached.map(withoutTiming)).toEqual(events.uncached.map(withoutTiming));
      }),
      { numRuns: 150 },
    );
    // The lane answered (the same grant object again) often enough for the comparison to mean something.
    expect(answered).toBeGreaterThan(60);
  });
});
