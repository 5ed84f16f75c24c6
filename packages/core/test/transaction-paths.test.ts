// Transaction-bound requirements composed with the rest of the engine: the synchronous cold path of the
// native backend (a promise only when the policy or the replay store needs one) and each issuer's own
// assurance rules (the challenge for a new approval speaks the issuer's vocabulary).
import type { AuthorizationDetail, Decision, Requirement, StepUpOptions, StepUpRequest } from '@stepup/core';
import type { TestIssuer } from '@stepup/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { paymentDetail } from './conformance/setup.js';
import { IBAN_A, IBAN_B } from './conformance/transactions.js';
import { ACR, engine, issuer, LEVELS, NOW, now, spyStore } from './helpers.js';

const A = paymentDetail('1500.00', 'EUR', IBAN_A);
const B = paymentDetail('1500.00', 'EUR', IBAN_B);
const high = { acr: ACR.high, auth_time: NOW - 10 };
// Written out independently of the serializer: base64url of the JSON the client must request.
const remediation = (details: readonly AuthorizationDetail[]) =>
  Buffer.from(JSON.stringify({ authorization_details: details }), 'utf8').toString('base64url');

let as: TestIssuer;
beforeAll(async () => {
  as = await issuer();
});

const post = (authorization: string): StepUpRequest => ({
  method: 'POST',
  url: '/payments',
  headers: { authorization },
});
const bound = (once: boolean): Requirement => ({
  level: 'high',
  transaction: { authorizationDetails: [A], once },
});
const answer = (decision: Decision) =>
  decision.allowed ? 'allowed' : [decision.error.code, decision.error.headers['www-authenticate']];
const codeOf = (decision: Decision) => (decision.allowed ? 'allowed' : decision.error.code);

describe('the synchronous cold path with transaction-bound requirements', () => {
  // Native backend (the default) with the issuer's keys at hand: verification itself is synchronous.
  const setUp = () => {
    const { store, calls } = spyStore();
    const stepUp = engine(as, {
      operations: {
        read: { level: 'standard' },
        computed: () => ({ level: 'standard' }),
        waited: async () => ({ level: 'standard' }),
        view: bound(false),
        pay: bound(true),
      },
      transactions: { store },
    });
    return { stepUp, calls };
  };

  it('decides without a promise when neither the policy nor the store needs one', async () => {
    const { stepUp, calls } = setUp();
    const fresh = () => as.authorization({ ...high, authorization_details: [A] });
    for (const operation of ['read', 'computed', 'view']) {
      const decision = stepUp.check(operation, post(await fresh()));
      expect(decision).not.toBeInstanceOf(Promise);
      expect(codeOf(decision as Decision)).toBe('allowed');
    }
    // A binding refused before the store is consulted is decided at once too.
    const other = stepUp.check('pay', post(await as.authorization({ ...high, authorization_details: [B] })));
    expect(other).not.toBeInstanceOf(Promise);
    expect(codeOf(other as Decision)).toBe('ERR_AUTHORIZATION_DETAILS_MISMATCH');
    expect(calls).toEqual([]);
  });

  it('returns a promise only to wait for a requirement function or to record a single use', async () => {
    const { stepUp, calls } = setUp();
    const token = await as.authorization({ ...high, authorization_details: [A] });
    const waited = stepUp.check('waited', post(token));
    expect(waited).toBeInstanceOf(Promise);
    expect(codeOf(await waited)).toBe('allowed');
    const paid = stepUp.check('pay', post(token));
    expect(paid).toBeInstanceOf(Promise);
    expect(codeOf(await paid)).toBe('allowed');
    expect(calls).toHaveLength(1);
  });

  it('decideSync never records a use, cold or cached, so the decide that follows is the first use', async () => {
    const { stepUp, calls } = setUp();
    const token = await as.authorization({ ...high, authorization_details: [A] });
    expect(stepUp.decideSync('pay', post(token))).toBeUndefined();
    // Cached through another operation: the single use is still left to decide.
    expect(codeOf(stepUp.check('view', post(token)) as Decision)).toBe('allowed');
    expect(stepUp.decideSync('pay', post(token))).toBeUndefined();
    expect(calls).toEqual([]);
    expect(codeOf(await stepUp.decide('pay', post(token)))).toBe('allowed');
    expect(stepUp.decideSync('pay', post(token))).toBeUndefined();
    expect(calls).toHaveLength(1);
  });
});

describe('transaction-bound requirements under the token issuer’s rules', () => {
  const withIssuer = (
    assurance: NonNullable<StepUpOptions['issuers'][number]['assurance']>,
    pay: Requirement,
  ) => {
    const { store, calls } = spyStore(async (call) => call === 1);
    const stepUp = engine(as, {
      issuers: [as.config({ assurance })],
      levels: LEVELS,
      operations: { pay },
      transactions: { store },
      now,
    });
    return { stepUp, calls };
  };

  it('a refused or second use asks for the issuer’s own acr values, as its step-up does', async () => {
    const { stepUp } = withIssuer(
      { from: 'acr', levels: { standard: ['urn:partner:pwd'], high: ['urn:partner:mfa'] } },
      { level: 'high', maxAge: 300, transaction: { authorizationDetails: [A] } },
    );
    const mfa = { acr: 'urn:partner:mfa', auth_time: NOW - 10 };
    const token = await as.authorization({ ...mfa, authorization_details: [A] });
    const ask = `acr_values="urn:partner:mfa", max_age="300", authorization_remediation="${remediation([A])}"`;
    expect(answer(await stepUp.decide('pay', post(token)))).toBe('allowed');
    expect(answer(await stepUp.decide('pay', post(token)))).toEqual([
      'ERR_AUTHORIZATION_DETAILS_USED',
      `Bearer error="insufficient_authorization", error_description="The approval in this access token was already used", ${ask}`,
    ]);
    const other = await as.authorization({ ...mfa, authorization_details: [B] });
    expect(answer(await stepUp.decide('pay', post(other)))).toEqual([
      'ERR_AUTHORIZATION_DETAILS_MISMATCH',
      `Bearer error="insufficient_authorization", error_description="The access token was approved for another transaction", ${ask}`,
    ]);
    const weak = await as.authorization({
      acr: 'urn:partner:pwd',
      auth_time: NOW - 10,
      authorization_details: [A],
    });
    expect(answer(await stepUp.decide('pay', post(weak)))).toEqual([
      'ERR_ACR_INSUFFICIENT',
      `Bearer error="insufficient_user_authentication", error_description="A stronger authentication is required (level high)", ${ask}`,
    ]);
  });

  it('a level proven by a scope: asked for with the approval when both are missing, alone otherwise', async () => {
    const { stepUp, calls } = withIssuer(
      { from: 'scope', levels: { high: ['payments:mfa'] }, baseline: 'standard' },
      { level: 'high', transaction: { authorizationDetails: [A] } },
    );
    const token = await as.authorization({ scope: 'payments:mfa', authorization_details: [A] });
    expect(answer(await stepUp.decide('pay', post(token)))).toBe('allowed');
    expect(answer(await stepUp.decide('pay', post(token)))).toEqual([
      'ERR_AUTHORIZATION_DETAILS_USED',
      `Bearer error="insufficient_authorization", error_description="The approval in this access token was already used", authorization_remediation="${remediation([A])}"`,
    ]);
    const neither = await as.authorization({ authorization_details: [B] });
    const refused = await stepUp.decide('pay', post(neither));
    expect(answer(refused)).toEqual([
      'ERR_AUTHORIZATION_DETAILS_MISMATCH',
      `Bearer error="insufficient_authorization", error_description="The access token was approved for another transaction", scope="payments:mfa", authorization_remediation="${remediation([A])}"`,
    ]);
    expect(refused.allowed ? undefined : refused.error.body).toEqual({
      error: 'insufficient_authorization',
      error_description: 'The access token was approved for another transaction',
      code: 'ERR_AUTHORIZATION_DETAILS_MISMATCH',
      scope: 'payments:mfa',
      authorization_details: [A],
    });
    const approvedOnly = await as.authorization({ authorization_details: [A] });
    expect(answer(await stepUp.decide('pay', post(approvedOnly)))).toEqual([
      'ERR_SCOPE_INSUFFICIENT',
      'Bearer error="insufficient_scope", error_description="The access token lacks a required scope", scope="payments:mfa"',
    ]);
    expect(calls).toHaveLength(2);
  });

  it('an issuer that cannot prove freshness: a computed maxAge is a programming error, nothing is used', async () => {
    const { stepUp, calls } = withIssuer({ from: 'acr', freshness: 'none' }, bound(true));
    const spy = spyStore();
    const computed = engine(as, {
      issuers: [as.config({ assurance: { from: 'acr', freshness: 'none' } })],
      operations: { pay: () => ({ ...bound(true), maxAge: 300 }) },
      transactions: { store: spy.store },
    });
    const token = await as.authorization({ ...high, authorization_details: [A] });
    expect(() => computed.check('pay', post(token))).toThrowError(
      expect.objectContaining({ code: 'ERR_POLICY_INVALID', details: { operation: 'pay', path: 'maxAge' } }),
    );
    expect(spy.calls).toEqual([]);
    // Without maxAge the same issuer's approvals are used once as usual.
    expect(codeOf(await stepUp.decide('pay', post(token)))).toBe('allowed');
    expect(codeOf(await stepUp.decide('pay', post(token)))).toBe('ERR_AUTHORIZATION_DETAILS_USED');
    expect(calls).toHaveLength(2);
  });
});
