// Where DPoP meets the other features: the synchronous Bearer path, transaction-bound requirements
// (the order of the single uses, outages, decideSync), and an issuer's challenge dialect (Entra).
import {
  createStepUp,
  parseChallenges,
  readAuthorizationChallenge,
  readClaimsChallenge,
  readStepUpChallenge,
  type StepUpOptions,
  type StepUpRequest,
} from '@stepup/core';
import { createMemoryReplayStore, type ReplayStore } from '@stepup/core/stores';
import type { TestIssuer } from '@stepup/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProofKey, type ProofKey, signProof } from './conformance/proof.js';
import { paymentDetail } from './conformance/setup.js';
import { ACR, engine, issuer, LEVELS, NOW, now } from './helpers.js';
import { API_ID, ENTRA_ISSUER, entraToken, entraWithKeys, TENANT } from './profile-helpers.js';

const ORIGIN = 'https://api.test';
const ALGS = 'ES256 PS256 EdDSA Ed25519';
const IBAN = 'DE89370400440532013000';
const approved = paymentDetail('1500.00', 'EUR', IBAN);
let as: TestIssuer;
let key: ProofKey;
beforeAll(async () => {
  [as, key] = await Promise.all([issuer(), createProofKey('ES256')]);
});

const codeOf = (d: { allowed: boolean; error?: { code: string } }) => (d.allowed ? 'allowed' : d.error!.code);

/** A `DPoP` request for `token` with a new proof (its own `jti`). */
async function dpop(token: string, method = 'GET', url = '/r', body?: unknown): Promise<StepUpRequest> {
  const proof = await signProof({ key, token, htm: method, htu: `${ORIGIN}${url}`, iat: NOW });
  return {
    method,
    url,
    headers: { authorization: `DPoP ${token}`, dpop: proof },
    ...(body === undefined ? {} : { body }),
  };
}

/** A memory store that records each key it is asked about, and can be switched off. */
function switchable() {
  const inner = createMemoryReplayStore({ now });
  const keys: string[] = [];
  let down = false;
  const store: ReplayStore = {
    async consume(k, expiresAt, fingerprint) {
      keys.push(k);
      if (down) throw new Error('connect ECONNREFUSED 10.0.0.9:6379');
      return inner.consume(k, expiresAt, fingerprint);
    },
  };
  return { store, keys, setDown: (value: boolean) => (down = value) };
}

describe('DPoP and the synchronous Bearer path', () => {
  it('answers Bearer requests synchronously with DPoP configured, cold and cached; DPoP ones as a promise', async () => {
    const stepUp = engine(as, { dpop: { origin: ORIGIN } });
    const bearer = {
      method: 'GET',
      url: '/r',
      headers: { authorization: await as.authorization({ acr: ACR.standard }) },
    };
    const cold = stepUp.check('read', bearer);
    expect(cold instanceof Promise ? 'promise' : codeOf(cold)).toBe('allowed');
    const cached = stepUp.check('read', bearer);
    expect(cached instanceof Promise ? 'promise' : codeOf(cached)).toBe('allowed');
    const bound = await as.mint({ acr: ACR.standard, cnf: { jkt: key.jkt } });
    const asBearer = stepUp.check('read', { ...bearer, headers: { authorization: `Bearer ${bound}` } });
    expect(asBearer instanceof Promise ? 'promise' : codeOf(asBearer)).toBe('ERR_TOKEN_BOUND');
    const proven = stepUp.check('read', await dpop(bound));
    expect(proven).toBeInstanceOf(Promise);
    expect(codeOf(await proven)).toBe('allowed');
    // A proof refused by a synchronous check needs no store: answered at once.
    const wrongMethod = await dpop(bound, 'POST');
    const refused = stepUp.check('read', { ...wrongMethod, method: 'GET' });
    expect(refused instanceof Promise ? 'promise' : codeOf(refused)).toBe('ERR_DPOP_PROOF_INVALID');
  });
});

describe('DPoP with transaction-bound requirements', () => {
  const pay = (token: string) =>
    dpop(token, 'POST', '/payments', { amount: '1500.00', currency: 'EUR', iban: IBAN });
  const options = (dpopStore: ReplayStore, approvals: ReplayStore): Partial<StepUpOptions> => ({
    levels: LEVELS,
    operations: {
      read: { level: 'standard' },
      pay: ({ request }) => {
        const { amount, currency, iban } = request.body as Record<string, string>;
        return {
          level: 'high',
          transaction: { authorizationDetails: [paymentDetail(amount!, currency!, iban!)] },
        };
      },
    },
    dpop: { origin: ORIGIN, replayStore: dpopStore },
    transactions: { store: approvals },
  });
  const boundApproval = (jti = 'pay-1') =>
    as.mint({ acr: ACR.high, authorization_details: [approved], cnf: { jkt: key.jkt }, jti });

  it('records the proof’s jti, then the approval, in one shared store: in that order, once each', async () => {
    const shared = switchable();
    const stepUp = engine(as, options(shared.store, shared.store));
    const decision = await stepUp.decide('pay', await pay(await boundApproval()));
    expect(decision.allowed && decision.authorizationDetails).toEqual([approved]);
    expect(shared.keys).toHaveLength(2);
    expect(shared.keys[0]).toMatch(/^dpop:[A-Za-z0-9_-]{43}$/);
    expect(JSON.parse(shared.keys[1]!)).toEqual(['stepup/transaction', as.issuer, 'pay', 'pay-1']);
  });

  it('client readers find the step-up and the approval to ask for in the DPoP challenge', async () => {
    const stepUp = engine(as, options(createMemoryReplayStore({ now }), createMemoryReplayStore({ now })));
    const weak = await as.mint({
      acr: ACR.standard,
      authorization_details: [approved],
      cnf: { jkt: key.jkt },
    });
    const d = await stepUp.decide('pay', await pay(weak));
    if (d.allowed) throw new Error('allowed');
    const header = d.error.headers['www-authenticate']!;
    expect(parseChallenges(header).map((c) => [c.scheme, c.params.error])).toEqual([
      ['bearer', undefined],
      ['dpop', 'insufficient_user_authentication'],
    ]);
    expect(readStepUpChallenge(header)).toEqual({
      acrValues: [ACR.high],
      description: 'A stronger authentication is required (level high)',
    });
    expect(readAuthorizationChallenge(header, d.error.body)).toEqual({
      acrValues: [ACR.high],
      description: 'A stronger authentication is required (level high)',
      error: 'insufficient_user_authentication',
      authorizationDetails: [approved],
    });
  });

  it('a replayed proof never reaches the approval: an approval outage spends the proof, not the approval', async () => {
    const proofs = switchable();
    const approvals = switchable();
    const stepUp = engine(as, options(proofs.store, approvals.store));
    const token = await boundApproval();
    const first = await pay(token);
    approvals.setDown(true);
    const outage = await stepUp.decide('pay', first);
    expect(outage.allowed ? undefined : [outage.error.code, outage.error.status]).toEqual([
      'ERR_REPLAY_STORE_UNAVAILABLE',
      503,
    ]);
    approvals.setDown(false);
    // The same proof again (a client retrying wrongly, or an attacker): refused before the approval.
    const before = approvals.keys.length;
    expect(codeOf(await stepUp.decide('pay', first))).toBe('ERR_DPOP_PROOF_REPLAYED');
    expect(approvals.keys).toHaveLength(before);
    // A new proof: the approval was never used.
    expect(codeOf(await stepUp.decide('pay', await pay(token)))).toBe('allowed');
    expect(codeOf(await stepUp.decide('pay', await pay(token)))).toBe('ERR_AUTHORIZATION_DETAILS_USED');
  });

  it('a proof-store outage refuses with 503 before the approval is touched', async () => {
    const proofs = switchable();
    const approvals = switchable();
    proofs.setDown(true);
    const stepUp = engine(as, options(proofs.store, approvals.store));
    const token = await boundApproval();
    const d = await stepUp.decide('pay', await pay(token));
    expect(d.allowed ? undefined : [d.error.code, d.error.headers['retry-after']]).toEqual([
      'ERR_REPLAY_STORE_UNAVAILABLE',
      '1',
    ]);
    expect(approvals.keys).toEqual([]);
    proofs.setDown(false);
    expect(codeOf(await stepUp.decide('pay', await pay(token)))).toBe('allowed');
  });

  it('a refusal by the policy, the binding or the proof asks neither store', async () => {
    const shared = switchable();
    const stepUp = engine(as, options(shared.store, shared.store));
    const token = await boundApproval();
    const other = await dpop(token, 'POST', '/payments', { amount: '9.99', currency: 'EUR', iban: IBAN });
    expect(codeOf(await stepUp.decide('pay', other))).toBe('ERR_AUTHORIZATION_DETAILS_MISMATCH');
    const weak = await as.mint({
      acr: ACR.standard,
      authorization_details: [approved],
      cnf: { jkt: key.jkt },
    });
    expect(codeOf(await stepUp.decide('pay', await pay(weak)))).toBe('ERR_ACR_INSUFFICIENT');
    const wrongUrl = await dpop(token, 'POST', '/elsewhere', {
      amount: '1500.00',
      currency: 'EUR',
      iban: IBAN,
    });
    expect(codeOf(await stepUp.decide('pay', { ...wrongUrl, url: '/payments' }))).toBe(
      'ERR_DPOP_PROOF_INVALID',
    );
    expect(shared.keys).toEqual([]);
  });

  it('decideSync leaves a DPoP request whole to decide, which then records it', async () => {
    const shared = switchable();
    const stepUp = engine(as, options(shared.store, shared.store));
    const token = await boundApproval();
    expect(codeOf(await stepUp.decide('pay', await pay(token)))).toBe('allowed');
    const second = await pay(token);
    expect(stepUp.decideSync('pay', second)).toBeUndefined();
    expect(shared.keys).toHaveLength(2);
    expect(codeOf(await stepUp.decide('pay', second))).toBe('ERR_AUTHORIZATION_DETAILS_USED');
  });
});

describe('DPoP with an issuer’s challenge dialect (Entra)', () => {
  let ms: TestIssuer;
  beforeAll(async () => {
    ms = await issuer({ issuer: ENTRA_ISSUER, audience: API_ID });
  });
  const stepUp = () =>
    createStepUp({
      issuers: [entraWithKeys(ms)],
      levels: ['standard', 'high'],
      operations: { pay: { level: 'high' }, scoped: { scope: 'pay' } },
      realm: 'bank',
      dpop: { origin: ORIGIN },
      now,
    });
  const boundEntra = async (claims: Record<string, unknown> = {}) =>
    (await entraToken(ms, { cnf: { jkt: key.jkt }, ...claims })).slice('Bearer '.length);
  const CLAIMS = btoa('{"access_token":{"acrs":{"essential":true,"value":"c1"}}}');
  const entraParams = (description: string) =>
    `realm="${TENANT}", authorization_uri="https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize", client_id="${API_ID}", error="insufficient_claims", error_description="${description}", claims="${CLAIMS}"`;

  it('puts the claims challenge in the DPoP challenge for a DPoP request, beside a plain Bearer one', async () => {
    const d = await stepUp().decide('pay', await dpop(await boundEntra()));
    const header = d.allowed ? undefined : d.error.headers['www-authenticate'];
    expect(header).toBe(
      `Bearer realm="bank", DPoP ${entraParams('The access token does not state how the user authenticated')}, algs="${ALGS}"`,
    );
    expect(parseChallenges(header!).map((c) => c.scheme)).toEqual(['bearer', 'dpop']);
    expect(readClaimsChallenge(header!)).toEqual({
      claims: '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}',
      contexts: ['c1'],
      authorizationUri: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`,
      realm: TENANT,
      clientId: API_ID,
    });
  });

  it('keeps it in the Bearer challenge for a Bearer request, beside a plain DPoP one', async () => {
    const d = await stepUp().decide('pay', {
      method: 'GET',
      url: '/r',
      headers: { authorization: await entraToken(ms) },
    });
    expect(d.allowed ? undefined : d.error.headers['www-authenticate']).toBe(
      `Bearer ${entraParams('The access token does not state how the user authenticated')}, DPoP realm="bank", algs="${ALGS}"`,
    );
  });

  it('answers other failures of a DPoP request with the default challenges, the error in DPoP', async () => {
    const d = await stepUp().decide('scoped', await dpop(await boundEntra({ acrs: ['c1'] })));
    expect(d.allowed ? undefined : [d.error.status, d.error.headers['www-authenticate']]).toEqual([
      403,
      `Bearer realm="bank", DPoP realm="bank", error="insufficient_scope", error_description="The access token lacks a required scope", scope="pay", algs="${ALGS}"`,
    ]);
    const granted = await stepUp().decide('pay', await dpop(await boundEntra({ acrs: ['c1'] })));
    expect(codeOf(granted)).toBe('allowed');
  });
});
