// Transaction-bound requests (RFC 9396 authorization_details used once): single requests, and sequences
// in which one approval is presented again, concurrently or as an idempotent replay.
import type { AuthorizationDetail } from '@stepup/core';
import type { ConformanceCase, Expected } from './cases.js';
import { ACR, type CaseRequest, type Kit, NOW, paymentDetail, ROUTES } from './setup.js';

/** Requests sent together (concurrently); several answers are compared as a multiset. */
export interface SequenceStep {
  readonly send: readonly CaseRequest[];
  readonly expect: readonly Expected[];
}

/** Requests in order, against one engine: what single cases cannot show (a second use). */
export interface ConformanceSequence<K = Kit> {
  readonly name: string;
  readonly steps: (kit: K) => Promise<readonly SequenceStep[]>;
}

export const IBAN_A = 'DE89370400440532013000';
export const IBAN_B = 'FR1420041010050500013M02606';
const approved = paymentDetail('1500.00', 'EUR', IBAN_A);
const high = { acr: ACR.high, auth_time: NOW - 60 };
const HIGH_VALUES = ACR.high;

// Written out independently of the serializer: the details the policy builds, as base64url JSON.
const remediation = (details: readonly AuthorizationDetail[]) =>
  Buffer.from(JSON.stringify({ authorization_details: details }), 'utf8').toString('base64url');

const DESCRIPTIONS = {
  ERR_AUTHORIZATION_DETAILS_MISSING: 'The access token carries no approval for this transaction',
  ERR_AUTHORIZATION_DETAILS_MISMATCH: 'The access token was approved for another transaction',
  ERR_AUTHORIZATION_DETAILS_USED: 'The approval in this access token was already used',
} as const;

/** 401 `insufficient_authorization`: approve these details (still at the high level, max_age 300). */
export function approval(code: keyof typeof DESCRIPTIONS, details: readonly AuthorizationDetail[]): Expected {
  const description = DESCRIPTIONS[code];
  return {
    status: 401,
    wwwAuthenticate: `Bearer realm="bank", error="insufficient_authorization", error_description="${description}", acr_values="${HIGH_VALUES}", max_age="300", authorization_remediation="${remediation(details)}"`,
    body: {
      error: 'insufficient_authorization',
      error_description: description,
      code,
      acr_values: HIGH_VALUES,
      max_age: 300,
      authorization_details: details,
    },
  };
}

const allowed = (details: readonly AuthorizationDetail[]): Expected => ({
  status: 200,
  wwwAuthenticate: undefined,
  body: { sub: 'user-1', level: 'high', authorization_details: details },
});

interface Payment {
  readonly amount: string;
  readonly currency: string;
  readonly iban: string;
  readonly name?: string;
}
const A_1500: Payment = { amount: '1500.00', currency: 'EUR', iban: IBAN_A };

function pay(authorization: string, payment: Payment, idempotencyKey?: string): CaseRequest {
  return {
    route: ROUTES.payments,
    authorization,
    body: { name: 'Alice', ...payment },
    ...(idempotencyKey === undefined ? {} : { headers: { 'idempotency-key': idempotencyKey } }),
  };
}
const detailOf = (p: Payment) => paymentDetail(p.amount, p.currency, p.iban, p.name);
const approvedFor = (main: Kit['main'], details: unknown = [approved]) =>
  main.authorization({ ...high, authorization_details: details });

/** Single requests: every way a binding can fail, and the ways it passes. */
export const TRANSACTION_CASES: readonly ConformanceCase[] = [
  {
    name: 'transaction: the approved amount, currency and payee',
    request: async ({ main }) => pay(await approvedFor(main), A_1500),
    expect: allowed([approved]),
  },
  {
    name: 'transaction: approved for 1,500.00 to A, asked 1,600.00 to A',
    request: async ({ main }) => pay(await approvedFor(main), { ...A_1500, amount: '1600.00' }),
    expect: approval('ERR_AUTHORIZATION_DETAILS_MISMATCH', [detailOf({ ...A_1500, amount: '1600.00' })]),
  },
  {
    name: 'transaction: approved for 1,500.00 to A, asked 1,500.00 to B',
    request: async ({ main }) => pay(await approvedFor(main), { ...A_1500, iban: IBAN_B }),
    expect: approval('ERR_AUTHORIZATION_DETAILS_MISMATCH', [detailOf({ ...A_1500, iban: IBAN_B })]),
  },
  {
    name: 'transaction: approved in EUR, asked in USD',
    request: async ({ main }) => pay(await approvedFor(main), { ...A_1500, currency: 'USD' }),
    expect: approval('ERR_AUTHORIZATION_DETAILS_MISMATCH', [detailOf({ ...A_1500, currency: 'USD' })]),
  },
  {
    name: 'transaction: no normalisation ("1500.00" approved, "1500" asked)',
    request: async ({ main }) => pay(await approvedFor(main), { ...A_1500, amount: '1500' }),
    expect: approval('ERR_AUTHORIZATION_DETAILS_MISMATCH', [detailOf({ ...A_1500, amount: '1500' })]),
  },
  {
    name: 'transaction: approved details of another type',
    request: async ({ main }) =>
      pay(await approvedFor(main, [{ ...approved, type: 'account_information' }]), A_1500),
    expect: approval('ERR_AUTHORIZATION_DETAILS_MISMATCH', [approved]),
  },
  {
    name: 'transaction: a token without authorization_details',
    request: async ({ main }) => pay(await main.authorization(high), A_1500),
    expect: approval('ERR_AUTHORIZATION_DETAILS_MISSING', [approved]),
  },
  {
    name: 'transaction: one matching approval among several',
    request: async ({ main }) =>
      pay(await approvedFor(main, [{ type: 'account_information', actions: ['read'] }, approved]), A_1500),
    expect: allowed([approved]),
  },
  {
    name: 'transaction: approved, but signed in at the standard level (one challenge for both)',
    request: async ({ main }) =>
      pay(
        await main.authorization({
          acr: ACR.standard,
          auth_time: NOW - 60,
          authorization_details: [approved],
        }),
        A_1500,
      ),
    expect: {
      status: 401,
      wwwAuthenticate: `Bearer realm="bank", error="insufficient_user_authentication", error_description="A stronger authentication is required (level high)", acr_values="${HIGH_VALUES}", max_age="300", authorization_remediation="${remediation([approved])}"`,
      body: {
        error: 'insufficient_user_authentication',
        error_description: 'A stronger authentication is required (level high)',
        code: 'ERR_ACR_INSUFFICIENT',
        acr_values: HIGH_VALUES,
        max_age: 300,
        authorization_details: [approved],
      },
    },
  },
  {
    name: 'transaction: a malformed authorization_details claim is an invalid token',
    request: async ({ main }) => pay(await approvedFor(main, [{ instructedAmount: {} }]), A_1500),
    expect: {
      status: 401,
      wwwAuthenticate:
        'Bearer realm="bank", error="invalid_token", error_description="The access token has an invalid authorization_details claim"',
      body: {
        error: 'invalid_token',
        error_description: 'The access token has an invalid authorization_details claim',
        code: 'ERR_TOKEN_CLAIMS',
      },
    },
  },
];

const used = approval('ERR_AUTHORIZATION_DETAILS_USED', [approved]);
const ok = allowed([approved]);

/** One approval presented several times: once only, except the idempotent replay. */
export const SEQUENCES: readonly ConformanceSequence[] = [
  {
    name: 'one approval, used twice without an Idempotency-Key: the second use is refused',
    steps: async ({ main }) => {
      const token = await approvedFor(main);
      return [
        { send: [pay(token, A_1500)], expect: [ok] },
        { send: [pay(token, A_1500)], expect: [used] },
      ];
    },
  },
  {
    name: 'one approval, a second transfer (another Idempotency-Key) is refused',
    steps: async ({ main }) => {
      const token = await approvedFor(main);
      return [
        { send: [pay(token, A_1500, 'k-1')], expect: [ok] },
        { send: [pay(token, A_1500, 'k-2')], expect: [used] },
        { send: [pay(token, A_1500)], expect: [used] },
      ];
    },
  },
  {
    name: 'the idempotent replay (same Idempotency-Key) passes again, any other use does not',
    steps: async ({ main }) => {
      const token = await approvedFor(main);
      return [
        { send: [pay(token, A_1500, 'k-1')], expect: [ok] },
        { send: [pay(token, A_1500, 'k-1')], expect: [ok] },
        { send: [pay(token, A_1500, 'k-2')], expect: [used] },
        { send: [pay(token, A_1500, 'k-1')], expect: [ok] },
      ];
    },
  },
  {
    name: 'two concurrent transfers with one approval: exactly one succeeds',
    steps: async ({ main }) => {
      const token = await approvedFor(main);
      return [{ send: [pay(token, A_1500, 'k-1'), pay(token, A_1500, 'k-2')], expect: [ok, used] }];
    },
  },
  {
    name: 'concurrent retries of one request (same Idempotency-Key) all pass, for the idempotency layer',
    steps: async ({ main }) => {
      const token = await approvedFor(main);
      return [{ send: [pay(token, A_1500, 'k-1'), pay(token, A_1500, 'k-1')], expect: [ok, ok] }];
    },
  },
  {
    name: 'a refused request (another payee) does not use the approval up',
    steps: async ({ main }) => {
      const token = await approvedFor(main);
      return [
        {
          send: [pay(token, { ...A_1500, iban: IBAN_B }, 'k-1')],
          expect: [approval('ERR_AUTHORIZATION_DETAILS_MISMATCH', [detailOf({ ...A_1500, iban: IBAN_B })])],
        },
        { send: [pay(token, A_1500, 'k-2')], expect: [ok] },
      ];
    },
  },
];
