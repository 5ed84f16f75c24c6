import type { AuthorizationDetail, StepUpOptions, StepUpRequest } from '@stepup/core';
import type { ReplayStore } from '@stepup/core/stores';
import { createTestIssuer, type TestIssuer } from '@stepup/core/testing';
import { z } from 'zod';

/** The fixed clock of every conformance run: 2026-11-21T12:00:00Z. */
export const NOW_MS = Date.parse('2026-11-21T12:00:00Z');
export const NOW = NOW_MS / 1000;
export const now = () => NOW_MS;

export const ACR = {
  standard: 'urn:stepup:acr:standard',
  high: 'urn:stepup:acr:high',
  papeMfa: 'http://schemas.openid.net/pape/policies/2007/06/multi-factor',
} as const;

/** Two issuers: the bank's own (RFC 9068 strict) and a partner that sends `typ: JWT`. */
export interface Kit {
  readonly main: TestIssuer;
  readonly partner: TestIssuer;
  readonly stranger: TestIssuer;
}

export async function createKit(): Promise<Kit> {
  const [main, partner, stranger] = await Promise.all([
    createTestIssuer({ issuer: 'https://issuer.test', audience: 'https://api.test', now }),
    createTestIssuer({ issuer: 'https://partner.test', audience: 'https://api.test', alg: 'RS256', now }),
    createTestIssuer({ issuer: 'https://stranger.test', audience: 'https://api.test', now }),
  ]);
  return { main, partner, stranger };
}

/** One routed operation of the conformance API: the same table drives the core and every adapter. */
export interface Route {
  readonly operation: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
}

export const ROUTES = {
  accounts: { operation: 'accounts:read', method: 'GET', path: '/accounts' },
  transfers: { operation: 'transfers:create', method: 'POST', path: '/transfers' },
  payees: { operation: 'payees:create', method: 'POST', path: '/payees' },
  partner: { operation: 'partner:read', method: 'GET', path: '/partner' },
  hardware: { operation: 'hardware:check', method: 'GET', path: '/hardware' },
  payments: { operation: 'payments:create', method: 'POST', path: '/payments' },
} as const satisfies Record<string, Route>;

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

/**
 * What a driver observed; the allowed response body is `{ sub, level }` on every driver, plus
 * `authorization_details` (the grant's matched approvals) on transaction-bound routes.
 */
export interface Observed {
  readonly status: number;
  readonly wwwAuthenticate: string | undefined;
  readonly body: unknown;
}

/** A request as the table describes it; `authorization` as an array means several headers. */
export interface CaseRequest {
  readonly route: Route;
  readonly authorization?: string | readonly string[];
  readonly query?: string;
  readonly body?: unknown;
  /** Other request headers (lower-case names), such as `idempotency-key`. */
  readonly headers?: Readonly<Record<string, string>>;
}

export function toStepUpRequest(req: CaseRequest): StepUpRequest {
  return {
    method: req.route.method,
    url: req.route.path + (req.query ?? ''),
    headers: {
      ...req.headers,
      ...(req.authorization === undefined ? {} : { authorization: req.authorization }),
      ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(req.body === undefined ? {} : { body: req.body }),
  };
}

/** A driver sends a case's request to one implementation and reports what came back. */
export interface Driver<K = Kit> {
  readonly name: string;
  /** Builds the API of the driver's `AppSpec` for this kit (engine options, routes). */
  start(kit: K): Promise<void>;
  send(request: CaseRequest): Promise<Observed>;
  stop(): Promise<void>;
}

/** The API a driver builds from a table's kit: the engine options and the routes it serves. */
export interface AppSpec<K = Kit> {
  readonly options: (kit: K) => StepUpOptions;
  readonly routes: readonly Route[];
}

/** The conformance API, on the engine's default (memory) replay store. */
export const CONFORMANCE_APP: AppSpec = {
  options: (kit) => conformanceOptions(kit),
  routes: Object.values(ROUTES),
};

/** The conformance kit with a shared replay store opened for one suite (see `StoreVariant`). */
export interface StoreKit extends Kit {
  readonly store: ReplayStore;
  /** Closes the store's database once the suite is over. */
  close(): Promise<void>;
}

/** A shared replay store to run the transaction conformance against, opened per suite. */
export interface StoreVariant {
  readonly name: string;
  open(): Promise<{ readonly store: ReplayStore; close(): Promise<void> }>;
}

/** The conformance API recording single uses in the kit's shared replay store. */
export const STORE_APP: AppSpec<StoreKit> = {
  options: (kit) => conformanceOptions(kit, { transactions: { store: kit.store } }),
  routes: Object.values(ROUTES),
};
