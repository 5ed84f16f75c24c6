import type { AuthorizationDetail, StepUpOptions, StepUpRequest } from '@stepup/core';
import type { ReplayStore } from '@stepup/core/stores';
import { createTestIssuer, type TestIssuer } from '@stepup/core/testing';
import { z } from 'zod';
import { createProofKey, type ProofKey } from './proof.js';
import { openReplayStores } from './replay-stores.js';

/** The fixed clock of every conformance run: 2026-11-21T12:00:00Z. */
export const NOW_MS = Date.parse('2026-11-21T12:00:00Z');
export const NOW = NOW_MS / 1000;
export const now = () => NOW_MS;

export const ACR = {
  standard: 'urn:stepup:acr:standard',
  high: 'urn:stepup:acr:high',
  papeMfa: 'http://schemas.openid.net/pape/policies/2007/06/multi-factor',
} as const;

/**
 * Two issuers: the bank's own (RFC 9068 strict) and a partner that sends `typ: JWT`; DPoP client keys
 * (the bound one in each allowed algorithm, another ES256 key); the DPoP replay stores of the two
 * instances of the DPoP API (Redis when `REDIS_URL` is set, so that they share it; else one memory
 * store each).
 */
export interface Kit {
  readonly main: TestIssuer;
  readonly partner: TestIssuer;
  readonly stranger: TestIssuer;
  readonly dpopKey: ProofKey;
  readonly psKey: ProofKey;
  readonly edKey: ProofKey;
  readonly otherKey: ProofKey;
  readonly stores: readonly [ReplayStore, ReplayStore];
  /** Whether the two instances share one Redis. */
  readonly sharedStore: boolean;
  /** Closes what the kit opened (the Redis clients). */
  close(): Promise<void>;
}

export async function createKit(): Promise<Kit> {
  const [main, partner, stranger, dpopKey, psKey, edKey, otherKey] = await Promise.all([
    createTestIssuer({ issuer: 'https://issuer.test', audience: 'https://api.test', now }),
    createTestIssuer({ issuer: 'https://partner.test', audience: 'https://api.test', alg: 'RS256', now }),
    createTestIssuer({ issuer: 'https://stranger.test', audience: 'https://api.test', now }),
    createProofKey('ES256'),
    createProofKey('PS256'),
    createProofKey('EdDSA'),
    createProofKey('ES256'),
  ]);
  const stores = await openReplayStores(now);
  return { main, partner, stranger, dpopKey, psKey, edKey, otherKey, ...stores };
}

/** One routed operation of an API: the same table drives the core and every adapter. */
export interface Route {
  /** The deployment that serves it (see `Deployment`); default `main`. */
  readonly api?: string;
  /** The guarded operation; none for the metadata route, which the adapter serves itself. */
  readonly operation?: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
}

export const ROUTES = {
  accounts: { api: 'main', operation: 'accounts:read', method: 'GET', path: '/accounts' },
  transfers: { api: 'main', operation: 'transfers:create', method: 'POST', path: '/transfers' },
  payees: { api: 'main', operation: 'payees:create', method: 'POST', path: '/payees' },
  partner: { api: 'main', operation: 'partner:read', method: 'GET', path: '/partner' },
  hardware: { api: 'main', operation: 'hardware:check', method: 'GET', path: '/hardware' },
  payments: { api: 'main', operation: 'payments:create', method: 'POST', path: '/payments' },
} as const satisfies Record<string, Route>;

/**
 * The routes of the DPoP APIs: `dpop` (Bearer and DPoP, run as two instances), `strict` (DPoP required,
 * server nonces, RFC 9728 metadata).
 */
export const DPOP_ROUTES = {
  accounts: { api: 'dpop', operation: 'accounts:read', method: 'GET', path: '/dpop/accounts' },
  payees: { api: 'dpop', operation: 'payees:create', method: 'POST', path: '/dpop/payees' },
  payments: { api: 'dpop', operation: 'payments:create', method: 'POST', path: '/dpop/payments' },
  strict: { api: 'strict', operation: 'accounts:read', method: 'GET', path: '/strict/accounts' },
  metadata: { api: 'strict', method: 'GET', path: '/.well-known/oauth-protected-resource' },
} as const satisfies Record<string, Route>;

/** The public origin both DPoP APIs are configured with (the `htu` of their proofs). */
export const DPOP_ORIGIN = 'https://api.test';
/** The nonce secret of the strict API. */
export const NONCE_SECRET = 'conformance nonce secret, 32 bytes or more';

/** The RFC 9396 detail of a payment, as the conformance API's policy builds it from a request body. */
export function paymentDetail(
  amount: string,
  currency: string,
  iban: string,
  name = 'Alice',
): AuthorizationDetail {
  return {
    type: 'payment_initiation',
    instructedAmount: { currency, amount },
    creditorName: name,
    creditorAccount: { iban },
  };
}

const PaymentBody = z.object({
  amount: z.string(),
  currency: z.string(),
  iban: z.string(),
  name: z.string(),
});

/**
 * Options of the engine every driver builds (adapters pass them to their plugin/middleware); `extra`
 * replaces top-level options (a shared replay store, say).
 */
export function conformanceOptions(kit: Kit, extra: Partial<StepUpOptions> = {}): StepUpOptions {
  return {
    issuers: [kit.main.config(), kit.partner.config({ legacyJwtTyp: true })],
    levels: [
      { name: 'standard', acr: [ACR.standard] },
      { name: 'high', acr: [ACR.high, ACR.papeMfa] },
    ],
    operations: {
      'accounts:read': { level: 'standard', scope: 'accounts:read' },
      // Amounts are integer minor units: above 1,000.00 needs the high level, used in the last 5 minutes.
      'transfers:create': ({ request }) => {
        const amount = (request.body as { amount?: unknown } | undefined)?.amount;
        return typeof amount === 'number' && amount > 100_000
          ? { level: 'high', maxAge: 300, scope: 'transfers:write' }
          : { level: 'standard', scope: 'transfers:write' };
      },
      'payees:create': { level: 'high', maxAge: 300 },
      'partner:read': { acr: ['urn:partner:gold', 'urn:partner:silver'] },
      'hardware:check': { amr: ['hwk'] },
      // Transaction-bound, computed asynchronously (as a bank reading the payee from its database would):
      // the approval must name this amount, currency and payee, and is used once per Idempotency-Key.
      'payments:create': async ({ request }) => {
        const { amount, currency, iban, name } = PaymentBody.parse(request.body);
        const key = request.headers['idempotency-key'];
        return {
          level: 'high',
          maxAge: 300,
          transaction: {
            authorizationDetails: [paymentDetail(amount, currency, iban, name)],
            ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
          },
        };
      },
    },
    realm: 'bank',
    clockTolerance: 5,
    now,
    ...extra,
  };
}

/** The options of a DPoP API (`dpop` or `strict`): the main API's, with DPoP recording in `store`. */
function dpopOptions(
  kit: Kit,
  api: 'dpop' | 'strict',
  store: ReplayStore,
  extra: Partial<StepUpOptions>,
): StepUpOptions {
  const common = conformanceOptions(kit, extra);
  const algorithms = ['ES256', 'PS256', 'EdDSA'] as const;
  if (api === 'dpop')
    return { ...common, dpop: { origin: DPOP_ORIGIN, algorithms: [...algorithms], replayStore: store } };
  return {
    ...common,
    dpop: {
      origin: DPOP_ORIGIN,
      algorithms: [...algorithms],
      required: true,
      replayStore: store,
      nonce: { secret: NONCE_SECRET, lifetime: 60 },
    },
    metadata: { resource: 'https://api.test', scopesSupported: ['accounts:read', 'transfers:write'] },
  };
}

/** One engine of an API (for adapters, one app), with the routes it serves. */
export interface Deployment {
  /** The `api` of its routes; `#2` for a second instance of one (sharing its replay stores). */
  readonly name: string;
  readonly options: StepUpOptions;
  readonly routes: readonly Route[];
}

/**
 * The conformance run's deployments: `main` (Bearer only), `dpop` and `dpop#2` (two instances, whose
 * DPoP replay stores are one Redis when there is one), `strict`. `extra` goes into every engine's
 * options (a shared `transactions` store, say).
 */
export function deployments(kit: Kit, extra: Partial<StepUpOptions> = {}): Deployment[] {
  const of = (api: string) =>
    [...Object.values(ROUTES), ...Object.values(DPOP_ROUTES)].filter((r) => r.api === api);
  return [
    { name: 'main', options: conformanceOptions(kit, extra), routes: of('main') },
    { name: 'dpop', options: dpopOptions(kit, 'dpop', kit.stores[0], extra), routes: of('dpop') },
    { name: 'dpop#2', options: dpopOptions(kit, 'dpop', kit.stores[1], extra), routes: of('dpop') },
    { name: 'strict', options: dpopOptions(kit, 'strict', kit.stores[0], extra), routes: of('strict') },
  ];
}

/** The deployment a request goes to. */
export const deploymentOf = (req: CaseRequest): string =>
  `${req.route.api ?? 'main'}${req.instance === 2 ? '#2' : ''}`;

/**
 * What a driver observed; the allowed response body is `{ sub, level }` on every driver, plus
 * `authorization_details` (the grant's matched approvals) on transaction-bound routes.
 */
export interface Observed {
  readonly status: number;
  readonly wwwAuthenticate: string | undefined;
  readonly body: unknown;
  /** The `DPoP-Nonce` response header. */
  readonly dpopNonce?: string | undefined;
}

/** A request as the table describes it; `authorization` (and `dpop`) as an array means several headers. */
export interface CaseRequest {
  readonly route: Route;
  readonly authorization?: string | readonly string[];
  readonly dpop?: string | readonly string[];
  /** Other request headers (lower-case names), such as `idempotency-key` or `x-forwarded-host`. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly query?: string;
  readonly body?: unknown;
  /** The instance of the DPoP API to send to (default 1). */
  readonly instance?: 1 | 2;
}

/** The request headers of a case, as every driver sends them (an array: several header lines). */
export function caseHeaders(req: CaseRequest): Record<string, string | readonly string[]> {
  return {
    ...req.headers,
    ...(req.authorization === undefined ? {} : { authorization: req.authorization }),
    ...(req.dpop === undefined ? {} : { dpop: req.dpop }),
    ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
  };
}

export function toStepUpRequest(req: CaseRequest): StepUpRequest {
  return {
    method: req.route.method,
    url: req.route.path + (req.query ?? ''),
    headers: caseHeaders(req),
    ...(req.body === undefined ? {} : { body: req.body }),
  };
}

/** A driver sends a case's request to one implementation and reports what came back. */
export interface Driver<K = Kit> {
  readonly name: string;
  /** Builds the deployments of the driver's `AppSpec` for this kit (engines, routes). */
  start(kit: K): Promise<void>;
  send(request: CaseRequest): Promise<Observed>;
  stop(): Promise<void>;
}

/** The API a driver builds from a table's kit: one engine (an app, for adapters) per deployment. */
export interface AppSpec<K = Kit> {
  readonly deployments: (kit: K) => readonly Deployment[];
}

/** An API of one engine, the deployment `main`. */
export function singleApp<K>(options: (kit: K) => StepUpOptions, routes: readonly Route[]): AppSpec<K> {
  return { deployments: (kit) => [{ name: 'main', options: options(kit), routes }] };
}

/** The conformance APIs, on the engines' default (memory) replay stores for single-use approvals. */
export const CONFORMANCE_APP: AppSpec = { deployments: (kit) => deployments(kit) };

/** The conformance kit with a shared replay store opened for one suite (see `StoreVariant`). */
export interface StoreKit extends Kit {
  readonly store: ReplayStore;
  /** Closes the kit and the store's database once the suite is over. */
  close(): Promise<void>;
}

/** A shared replay store to run the transaction conformance against, opened per suite. */
export interface StoreVariant {
  readonly name: string;
  open(): Promise<{ readonly store: ReplayStore; close(): Promise<void> }>;
}

/** The conformance APIs, every engine recording single-use approvals in the kit's shared store. */
export const STORE_APP: AppSpec<StoreKit> = {
  deployments: (kit) => deployments(kit, { transactions: { store: kit.store } }),
};
