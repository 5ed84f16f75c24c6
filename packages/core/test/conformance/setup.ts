import type { StepUpOptions, StepUpRequest } from '@stepup/core';
import type { ReplayStore } from '@stepup/core/stores';
import { createTestIssuer, type TestIssuer } from '@stepup/core/testing';
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
 * (the bound one in each allowed algorithm, another ES256 key); the replay stores of the two instances
 * of the DPoP API (Redis when `REDIS_URL` is set, so that they share it; else one memory store each).
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

/**
 * The APIs of the conformance run, each an engine of its own: `main` (Bearer only), `dpop` (Bearer and
 * DPoP, run as two instances), `strict` (DPoP required, server nonces, RFC 9728 metadata).
 */
export type Api = 'main' | 'dpop' | 'strict';

/** One routed operation of the conformance API: the same table drives the core and every adapter. */
export interface Route {
  readonly api: Api;
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
} as const satisfies Record<string, Route>;

export const DPOP_ROUTES = {
  accounts: { api: 'dpop', operation: 'accounts:read', method: 'GET', path: '/dpop/accounts' },
  payees: { api: 'dpop', operation: 'payees:create', method: 'POST', path: '/dpop/payees' },
  strict: { api: 'strict', operation: 'accounts:read', method: 'GET', path: '/strict/accounts' },
  metadata: { api: 'strict', method: 'GET', path: '/.well-known/oauth-protected-resource' },
} as const satisfies Record<string, Route>;

/** The public origin both DPoP APIs are configured with (the `htu` of their proofs). */
export const DPOP_ORIGIN = 'https://api.test';
/** The nonce secret of the strict API. */
export const NONCE_SECRET = 'conformance nonce secret, 32 bytes or more';

/** Options of the engine every driver builds (adapters pass them to their plugin/middleware). */
export function conformanceOptions(kit: Kit): StepUpOptions {
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
    },
    realm: 'bank',
    clockTolerance: 5,
    now,
  };
}

/** The options of the DPoP APIs: the main API's issuers, policy and realm. */
function dpopOptions(kit: Kit, api: 'dpop' | 'strict', store: ReplayStore): StepUpOptions {
  const { issuers, levels, operations, realm, clockTolerance } = conformanceOptions(kit);
  const common = { issuers, levels, operations, realm, clockTolerance, now };
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

/** One engine (and, for adapters, one app) of the run, with the routes it serves. */
export interface Deployment {
  /** `main`, `dpop`, `dpop#2` (the second instance, sharing the replay store), `strict`. */
  readonly name: string;
  readonly options: StepUpOptions;
  readonly routes: readonly Route[];
}

export function deployments(kit: Kit): Deployment[] {
  const of = (api: Api) =>
    [...Object.values(ROUTES), ...Object.values(DPOP_ROUTES)].filter((r) => r.api === api);
  return [
    { name: 'main', options: conformanceOptions(kit), routes: of('main') },
    { name: 'dpop', options: dpopOptions(kit, 'dpop', kit.stores[0]), routes: of('dpop') },
    { name: 'dpop#2', options: dpopOptions(kit, 'dpop', kit.stores[1]), routes: of('dpop') },
    { name: 'strict', options: dpopOptions(kit, 'strict', kit.stores[0]), routes: of('strict') },
  ];
}

/** The deployment a request goes to. */
export const deploymentOf = (req: CaseRequest): string =>
  req.instance === 2 ? `${req.route.api}#2` : req.route.api;

/** What a driver observed; the allowed response body is `{ sub, level }` on every driver. */
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
  /** Other request headers (e.g. `x-forwarded-host`). */
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
export interface Driver {
  readonly name: string;
  start(kit: Kit): Promise<void>;
  send(request: CaseRequest): Promise<Observed>;
  stop(): Promise<void>;
}
