import {
  type AuditEvent,
  type AuthorizationDetail,
  assessRequirement,
  type Decision,
  evaluateRequirement,
  matchAuthorizationDetails,
  type Requirement,
  type RequirementFn,
  type StepUpOptions,
  type StepUpRequest,
  sameDetail,
} from '@stepup/core';
import type { TestIssuer } from '@stepup/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { paymentDetail } from './conformance/setup.js';
import { IBAN_A, IBAN_B } from './conformance/transactions.js';
import { ACR, engine, issuer, NOW, NOW_MS, spyStore } from './helpers.js';

const A = paymentDetail('1500.00', 'EUR', IBAN_A);
const high = { acr: ACR.high, auth_time: NOW - 10 };

let as: TestIssuer;
beforeAll(async () => {
  as = await issuer();
});

const post = (
  authorization: string,
  body: unknown = {},
  headers: Record<string, string> = {},
): StepUpRequest => ({
  method: 'POST',
  url: '/payments',
  headers: { ...headers, authorization },
  body,
});

/** An engine whose `pay` needs the high level and an approval of `detail` (from the body when given). */
function payEngine(
  transaction: Partial<NonNullable<Requirement['transaction']>> = {},
  options: Partial<StepUpOptions> = {},
) {
  const pay: RequirementFn = ({ request }) => {
    const body = request.body as { detail?: AuthorizationDetail; key?: string };
    return {
      level: 'high',
      transaction: {
        authorizationDetails: [body.detail ?? A],
        ...(body.key === undefined ? {} : { idempotencyKey: body.key }),
        ...transaction,
      },
    };
  };
  return engine(as, { operations: { pay, refund: pay, read: { level: 'standard' } }, ...options });
}

const codeOf = (decision: Decision) => (decision.allowed ? 'allowed' : decision.error.code);

/** A store that records its calls and answers with `answer`. */
describe('matching approved authorization_details', () => {
  it('compares every member the request names, exactly', () => {
    expect(sameDetail(A, A)).toBe(true);
    expect(sameDetail({ ...A, remittanceInformation: 'invoice 7' }, A)).toBe(true); // extra member: AS's
    expect(sameDetail({ ...A, instructedAmount: { currency: 'EUR', amount: '1500.00', x: 1 } }, A)).toBe(
      false,
    );
    expect(sameDetail({ ...A, creditorAccount: { iban: IBAN_A.toLowerCase() } }, A)).toBe(false);
    expect(sameDetail({ type: A.type, instructedAmount: A.instructedAmount! }, A)).toBe(false);
    expect(sameDetail({ type: 't', actions: ['b', 'a'] }, { type: 't', actions: ['a', 'b'] })).toBe(false);
    expect(sameDetail({ type: 't', n: 1 }, { type: 't', n: '1' })).toBe(false);
  });

  it('needs a match for every expected detail, and the user function to accept it too', () => {
    const B = paymentDetail('20.00', 'EUR', IBAN_B);
    expect(matchAuthorizationDetails([B, A], [A, B])).toEqual([A, B]);
    expect(matchAuthorizationDetails([A], [A, B])).toBeUndefined();
    expect(matchAuthorizationDetails([], [A])).toBeUndefined();
    expect(matchAuthorizationDetails([A], [A], () => false)).toBeUndefined();
    expect(matchAuthorizationDetails([A], [A], (() => 'yes') as never)).toBeUndefined();
    const seen: unknown[] = [];
    expect(
      matchAuthorizationDetails([A], [A], (approved, expected) => {
        seen.push(approved, expected);
        return true;
      }),
    ).toEqual([A]);
    expect(seen).toEqual([A, A]);
  });
});

describe('transaction-bound requirements', () => {
  it('grants with the matched approvals, frozen, and reports them (never the token) to the audit hook', async () => {
    const events: AuditEvent[] = [];
    const stepUp = payEngine({}, { audit: (e) => events.push(e) });
    const token = await as.authorization({ ...high, authorization_details: [{ type: 'other' }, A] });
    const first = await stepUp.decide('pay', post(token));
    const second = await stepUp.decide('pay', post(token));
    expect(first.allowed ? first.authorizationDetails : undefined).toEqual([A]);
    expect(codeOf(second)).toBe('ERR_AUTHORIZATION_DETAILS_USED');
    const details = first.allowed ? first.authorizationDetails! : [];
    expect(() => {
      (details[0]!.instructedAmount as { amount: string }).amount = '1.00';
    }).toThrow(TypeError);
    expect(events.map((e) => [e.outcome, e.code, e.authorizationDetails])).toEqual([
      ['allow', undefined, [A]],
      ['deny', 'ERR_AUTHORIZATION_DETAILS_USED', [A]],
    ]);
    expect(JSON.stringify(events)).not.toContain(token.slice(7, 40));
  });

  it('assessRequirement and evaluateRequirement judge a binding purely (no store: nothing is used up)', async () => {
    const stepUp = payEngine({ once: false });
    const granted = await stepUp.decide(
      'pay',
      post(await as.authorization({ ...high, authorization_details: [A] })),
    );
    if (!granted.allowed) throw new Error('denied');
    const { requirement, token } = granted;
    for (let i = 0; i < 2; i++) {
      expect(assessRequirement(requirement, token, NOW, 0)).toEqual({ failure: undefined, approved: [A] });
      expect(evaluateRequirement(requirement, token, NOW, 0)).toBeUndefined();
    }
    const other = {
      ...requirement,
      transaction: { ...requirement.transaction!, authorizationDetails: [{ type: 'x' }] },
    };
    expect(evaluateRequirement(other, token, NOW, 0)?.code).toBe('ERR_AUTHORIZATION_DETAILS_MISMATCH');
  });

  it('records the use under (issuer, operation, jti) until exp + tolerance, with the idempotency key', async () => {
    const { store, calls } = spyStore();
    const stepUp = payEngine({}, { transactions: { store } });
    const token = await as.mint({ ...high, jti: 'j"1', authorization_details: [A] });
    expect(codeOf(await stepUp.decide('pay', post(`Bearer ${token}`, { key: 'idem-1' })))).toBe('allowed');
    expect(codeOf(await stepUp.decide('refund', post(`Bearer ${token}`)))).toBe('allowed');
    expect(calls).toEqual([
      [JSON.stringify(['stepup/transaction', as.issuer, 'pay', 'j"1']), (NOW + 300 + 30) * 1000, 'idem-1'],
      [
        JSON.stringify(['stepup/transaction', as.issuer, 'refund', 'j"1']),
        (NOW + 300 + 30) * 1000,
        undefined,
      ],
    ]);
  });

  it('takes any idempotency key the client sent (empty, long) as the fingerprint, never a 500', async () => {
    const stepUp = payEngine();
    for (const key of ['', 'k'.repeat(5000)]) {
      const token = await as.authorization({ ...high, authorization_details: [A] });
      expect(codeOf(await stepUp.decide('pay', post(token, { key })))).toBe('allowed');
      expect(codeOf(await stepUp.decide('pay', post(token, { key })))).toBe('allowed');
      expect(codeOf(await stepUp.decide('pay', post(token, { key: `${key}x` })))).toBe(
        'ERR_AUTHORIZATION_DETAILS_USED',
      );
    }
  });

  it('one token per operation: used once by each operation that accepts it', async () => {
    const stepUp = payEngine();
    const token = await as.authorization({ ...high, authorization_details: [A] });
    expect(codeOf(await stepUp.decide('pay', post(token)))).toBe('allowed');
    expect(codeOf(await stepUp.decide('refund', post(token)))).toBe('allowed');
    expect(codeOf(await stepUp.decide('refund', post(token)))).toBe('ERR_AUTHORIZATION_DETAILS_USED');
  });

  it('once: false matches without recording', async () => {
    const { store, calls } = spyStore();
    const stepUp = payEngine({ once: false }, { transactions: { store } });
    const token = await as.authorization({ ...high, authorization_details: [A] });
    for (let i = 0; i < 3; i++) expect(codeOf(await stepUp.decide('pay', post(token)))).toBe('allowed');
    expect(calls).toEqual([]);
  });

  it('a user match function can refuse what the exact comparison accepts', async () => {
    const stepUp = payEngine({ match: (approved) => approved.debtorAccount !== undefined });
    const plain = await as.authorization({ ...high, authorization_details: [A] });
    const withDebtor = await as.authorization({
      ...high,
      authorization_details: [{ ...A, debtorAccount: { iban: 'X' } }],
    });
    expect(codeOf(await stepUp.decide('pay', post(plain)))).toBe('ERR_AUTHORIZATION_DETAILS_MISMATCH');
    expect(codeOf(await stepUp.decide('pay', post(withDebtor)))).toBe('allowed');
  });

  it('a token without jti cannot be used once (a legacyClaims issuer): refused, not granted', async () => {
    const stepUp = payEngine({}, { issuers: [as.config({ legacyClaims: true })] });
    const token = await as.authorization({ ...high, authorization_details: [A] }, { omit: ['jti'] });
    const decision = await stepUp.decide('pay', post(token));
    expect(
      decision.allowed ? undefined : [decision.error.code, decision.error.status, decision.error.message],
    ).toEqual(['ERR_TOKEN_CLAIMS', 401, 'The access token has no jti: its approval cannot be used once']);
    const reusable = payEngine({ once: false }, { issuers: [as.config({ legacyClaims: true })] });
    expect(codeOf(await reusable.decide('pay', post(token)))).toBe('allowed');
  });

  it('fails closed with a 503 when the store cannot tell, logging the cause but never sending it', async () => {
    const warnings: unknown[][] = [];
    const broken = spyStore(async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.5:5432');
    });
    const stepUp = payEngine(
      {},
      { transactions: { store: broken.store }, logger: { warn: (...a) => warnings.push(a) } },
    );
    const decision = await stepUp.decide(
      'pay',
      post(await as.authorization({ ...high, authorization_details: [A] })),
    );
    if (decision.allowed) throw new Error('allowed');
    expect([decision.error.status, decision.error.headers, decision.error.body]).toEqual([
      503,
      { 'cache-control': 'no-store' },
      {
        error: 'temporarily_unavailable',
        error_description: 'The transaction approval cannot be checked now',
        code: 'ERR_REPLAY_STORE_UNAVAILABLE',
      },
    ]);
    expect(warnings).toEqual([
      ['stepup: replay store unavailable', { cause: 'connect ECONNREFUSED 10.0.0.5:5432' }],
    ]);
    const odd = payEngine({}, { transactions: { store: { consume: async () => 'yes' as never } } });
    const oddDecision = await odd.decide(
      'pay',
      post(await as.authorization({ ...high, authorization_details: [A] })),
    );
    expect(codeOf(oddDecision)).toBe('ERR_REPLAY_STORE_UNAVAILABLE');
  });

  it('a full memory store answers 503 with its Retry-After', async () => {
    const { createMemoryReplayStore } = await import('@stepup/core/stores');
    const store = createMemoryReplayStore({ max: 1, now: () => NOW_MS });
    const stepUp = payEngine({}, { transactions: { store } });
    expect(
      codeOf(
        await stepUp.decide('pay', post(await as.authorization({ ...high, authorization_details: [A] }))),
      ),
    ).toBe('allowed');
    const full = await stepUp.decide(
      'pay',
      post(await as.authorization({ ...high, authorization_details: [A] })),
    );
    expect(full.allowed ? undefined : [full.error.code, full.error.headers['retry-after']]).toEqual([
      'ERR_REPLAY_STORE_UNAVAILABLE',
      '330', // the first record frees at exp (NOW + 300) plus the 30 s clock tolerance
    ]);
  });

  it('decideSync defers a single-use approval to decide without recording it, so decide grants it once', async () => {
    const { store, calls } = spyStore(async (call) => call === 1);
    const stepUp = payEngine({}, { transactions: { store } });
    const token = await as.authorization({ ...high, authorization_details: [A] });
    expect(stepUp.decideSync('pay', post(token))).toBeUndefined(); // not verified yet
    expect(codeOf(await stepUp.decide('pay', post(token)))).toBe('allowed');
    expect(stepUp.decideSync('pay', post(token))).toBeUndefined(); // cached, but the use must be recorded
    expect(calls).toHaveLength(1);
    expect(codeOf(await stepUp.decide('pay', post(token)))).toBe('ERR_AUTHORIZATION_DETAILS_USED');
    // A mismatch needs no store: decided synchronously from the cache.
    const other = stepUp.decideSync('pay', post(token, { detail: paymentDetail('1.00', 'EUR', IBAN_A) }));
    expect(other && codeOf(other)).toBe('ERR_AUTHORIZATION_DETAILS_MISMATCH');
    expect(calls).toHaveLength(2);
  });

  it('refuses invalid computed transactions as programming errors (ERR_POLICY_INVALID)', async () => {
    const token = await as.authorization({ ...high, authorization_details: [A] });
    for (const detail of [
      { ...A, instructedAmount: { currency: 'EUR', amount: 150_000 } },
      { ...A, instructedAmount: { currency: 'eur', amount: '1500.00' } },
      { ...A, creditorAccount: {} },
      { ...A, type: '' },
      { ...A, when: new Date() },
    ])
      await expect(payEngine().decide('pay', post(token, { detail }))).rejects.toMatchObject({
        code: 'ERR_POLICY_INVALID',
        message: 'Internal error: a computed requirement is invalid',
      });
    await expect(
      payEngine({ once: false, idempotencyKey: 'k' }).decide('pay', post(token)),
    ).rejects.toMatchObject({
      code: 'ERR_POLICY_INVALID',
      details: { path: 'transaction.idempotencyKey' },
    });
  });

  it('refuses an invalid static transaction at construction, naming the field', () => {
    const detail = { ...A, instructedAmount: { currency: 'EUR', amount: 1500 } };
    expect(() =>
      engine(as, { operations: { pay: { transaction: { authorizationDetails: [detail] } } } }),
    ).toThrowError(
      expect.objectContaining({
        code: 'ERR_CONFIG_INVALID',
        details: expect.objectContaining({
          path: 'operations.pay.transaction.authorizationDetails.0.instructedAmount.amount',
        }),
      }),
    );
    expect(() => engine(as, { transactions: { store: {} as never } })).toThrowError(
      expect.objectContaining({ details: expect.objectContaining({ path: 'transactions.store' }) }),
    );
  });
});

describe('asynchronous requirements', () => {
  const lookup = (payee: string) => new Promise<string>((resolve) => setTimeout(() => resolve(payee), 1));
  const asyncEngine = (pay: RequirementFn) =>
    engine(as, { operations: { pay, read: { level: 'standard' } } });

  it('wait for the policy, also on cache hits, and decideSync leaves them to decide', async () => {
    let runs = 0;
    const stepUp = asyncEngine(async () => {
      runs++;
      return {
        level: 'high',
        transaction: { authorizationDetails: [paymentDetail('1500.00', 'EUR', await lookup(IBAN_A))] },
      };
    });
    const token = await as.authorization({ ...high, authorization_details: [A] });
    const first = stepUp.check('pay', post(token));
    expect(first).toBeInstanceOf(Promise);
    expect(codeOf(await first)).toBe('allowed');
    // Verified a second time, so admitted to the cache: the calls after it are cache hits.
    expect(codeOf(await stepUp.decide('pay', post(token)))).toBe('ERR_AUTHORIZATION_DETAILS_USED');
    expect(stepUp.decideSync('pay', post(token))).toBeUndefined();
    expect(codeOf(await stepUp.decide('pay', post(token)))).toBe('ERR_AUTHORIZATION_DETAILS_USED');
    expect(runs).toBe(4);
  });

  it('a rejected or invalid asynchronous requirement is a programming error, as a thrown one is', async () => {
    const token = await as.authorization(high);
    const failing = asyncEngine(async () => {
      throw new Error('database down');
    });
    await expect(failing.decide('pay', post(token))).rejects.toThrow('database down');
    // decideSync on a cache hit starts the policy, drops it, and must not leave an unhandled rejection.
    await failing.decide('read', post(token));
    expect(failing.decideSync('pay', post(token))).toBeUndefined();
    const invalid = asyncEngine(async () => ({ level: 'platinum' }));
    await expect(invalid.decide('pay', post(token))).rejects.toMatchObject({ code: 'ERR_POLICY_INVALID' });
  });
});
