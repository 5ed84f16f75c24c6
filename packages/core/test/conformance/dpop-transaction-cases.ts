// Where DPoP meets transaction-bound requirements: a DPoP-bound token carrying an approval. The proof is
// checked before the policy, its `jti` recorded only once everything else passed and before the
// approval's single use, so that a replayed proof never uses the approval up and a refused request
// spends neither.
import type { ConformanceCase, Expected } from './cases.js';
import { ALGS, inBearer, inDpop } from './dpop-request.js';
import { signProof } from './proof.js';
import { ACR, type CaseRequest, DPOP_ORIGIN, DPOP_ROUTES, type Kit, NOW, paymentDetail } from './setup.js';
import type { ConformanceSequence } from './transactions.js';
import { approval, IBAN_A, IBAN_B } from './transactions.js';

const approved = paymentDetail('1500.00', 'EUR', IBAN_A);
const A_1500 = { name: 'Alice', amount: '1500.00', currency: 'EUR', iban: IBAN_A };
const route = DPOP_ROUTES.payments;

/** A transaction refusal as the DPoP API sends it: the same parameters, in the DPoP challenge. */
function inDpopChallenge(expected: Expected): Expected {
  const bearer = 'Bearer realm="bank", ';
  const header = expected.wwwAuthenticate!;
  if (!header.startsWith(bearer)) throw new Error(`not a Bearer challenge of realm bank: ${header}`);
  return {
    ...expected,
    wwwAuthenticate: `${bearer}DPoP realm="bank", ${header.slice(bearer.length)}, algs="${ALGS}"`,
  };
}

const ok: Expected = {
  status: 200,
  wwwAuthenticate: undefined,
  body: { sub: 'user-1', level: 'high', authorization_details: [approved] },
};
const used = inDpopChallenge(approval('ERR_AUTHORIZATION_DETAILS_USED', [approved]));
const replayed = inDpop('invalid_dpop_proof', 'ERR_DPOP_PROOF_REPLAYED', 'The DPoP proof was already used');

/** An access token bound to `kit.dpopKey`, approved for 1,500.00 EUR to A, at the high level. */
const boundApproval = (kit: Kit) =>
  kit.main.mint({
    acr: ACR.high,
    auth_time: NOW - 60,
    authorization_details: [approved],
    cnf: { jkt: kit.dpopKey.jkt },
  });

/** A new proof (its own `jti`) for a payment request with `token`. */
const proofFor = (kit: Kit, token: string) =>
  signProof({ key: kit.dpopKey, token, htm: route.method, htu: `${DPOP_ORIGIN}${route.path}`, iat: NOW });

/** The payment request: `token` under the DPoP scheme with `proof`, the body, an Idempotency-Key. */
function pay(
  token: string,
  proof: string,
  payment: Readonly<Record<string, string>> = A_1500,
  idempotencyKey?: string,
): CaseRequest {
  return {
    route,
    authorization: `DPoP ${token}`,
    dpop: proof,
    body: payment,
    ...(idempotencyKey === undefined ? {} : { headers: { 'idempotency-key': idempotencyKey } }),
  };
}

/** Single requests: the grant, and the transaction's refusals in the DPoP challenge. */
export const DPOP_TRANSACTION_CASES: readonly ConformanceCase[] = [
  {
    name: 'DPoP + transaction: a bound token approved for this payment, with its proof',
    request: async (kit) => {
      const token = await boundApproval(kit);
      return pay(token, await proofFor(kit, token));
    },
    expect: ok,
  },
  {
    name: 'DPoP + transaction: another amount, refused in the DPoP challenge',
    request: async (kit) => {
      const token = await boundApproval(kit);
      return pay(token, await proofFor(kit, token), { ...A_1500, amount: '1600.00' });
    },
    expect: inDpopChallenge(
      approval('ERR_AUTHORIZATION_DETAILS_MISMATCH', [paymentDetail('1600.00', 'EUR', IBAN_A)]),
    ),
  },
  {
    name: 'DPoP + transaction: the bound token presented as Bearer',
    request: async (kit) => ({
      route,
      authorization: `Bearer ${await boundApproval(kit)}`,
      body: A_1500,
    }),
    expect: inBearer(
      'invalid_token',
      'ERR_TOKEN_BOUND',
      'The access token is sender-constrained: present it with its proof, not as a Bearer token',
    ),
  },
];

/** One bound approval presented several times, with the same proof or new ones. */
export const DPOP_TRANSACTION_SEQUENCES: readonly ConformanceSequence[] = [
  {
    name: 'DPoP + transaction: a replayed proof is refused as a replay, a new proof as a second use',
    steps: async (kit) => {
      const token = await boundApproval(kit);
      const [first, second] = await Promise.all([proofFor(kit, token), proofFor(kit, token)]);
      return [
        { send: [pay(token, first)], expect: [ok] },
        { send: [pay(token, first)], expect: [replayed] },
        { send: [pay(token, second)], expect: [used] },
      ];
    },
  },
  {
    name: 'DPoP + transaction: refused requests spend neither the proof nor the approval',
    steps: async (kit) => {
      const token = await boundApproval(kit);
      const proof = await proofFor(kit, token);
      return [
        {
          send: [pay(token, proof, { ...A_1500, iban: IBAN_B })],
          expect: [
            inDpopChallenge(
              approval('ERR_AUTHORIZATION_DETAILS_MISMATCH', [paymentDetail('1500.00', 'EUR', IBAN_B)]),
            ),
          ],
        },
        {
          send: [{ route, authorization: `Bearer ${token}`, body: A_1500 }],
          expect: [
            inBearer(
              'invalid_token',
              'ERR_TOKEN_BOUND',
              'The access token is sender-constrained: present it with its proof, not as a Bearer token',
            ),
          ],
        },
        // The same proof, now for the approved payment: neither its jti nor the approval was recorded.
        { send: [pay(token, proof)], expect: [ok] },
      ];
    },
  },
  {
    name: 'DPoP + transaction: the idempotent replay passes with a new proof, never with the old one',
    steps: async (kit) => {
      const token = await boundApproval(kit);
      const [p1, p2, p3] = await Promise.all([
        proofFor(kit, token),
        proofFor(kit, token),
        proofFor(kit, token),
      ]);
      return [
        { send: [pay(token, p1, A_1500, 'k-1')], expect: [ok] },
        { send: [pay(token, p2, A_1500, 'k-1')], expect: [ok] },
        { send: [pay(token, p1, A_1500, 'k-1')], expect: [replayed] },
        { send: [pay(token, p3, A_1500, 'k-2')], expect: [used] },
      ];
    },
  },
  {
    name: 'DPoP + transaction: concurrent uses of one approval with their own proofs, one is granted',
    steps: async (kit) => {
      const token = await boundApproval(kit);
      const proofs = await Promise.all([1, 2, 3].map(() => proofFor(kit, token)));
      return [{ send: proofs.map((proof) => pay(token, proof)), expect: [ok, used, used] }];
    },
  },
  {
    name: 'DPoP + transaction: one proof sent twice at once, one is granted, the other is a replay',
    steps: async (kit) => {
      const token = await boundApproval(kit);
      const proof = await proofFor(kit, token);
      return [
        {
          send: [pay(token, proof, A_1500, 'k-1'), pay(token, proof, A_1500, 'k-1')],
          expect: [ok, replayed],
        },
      ];
    },
  },
];
