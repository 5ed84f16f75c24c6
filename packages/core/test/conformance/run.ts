import { createStepUp, type StepUp } from '@stepup/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requires } from '../../../../test/services.js';
import { CASES, type ConformanceCase, type Expected } from './cases.js';
import { DPOP_PROOF_CASES } from './dpop-proof-cases.js';
import { DPOP_SCHEME_CASES } from './dpop-scheme-cases.js';
import { DPOP_TRANSACTION_CASES, DPOP_TRANSACTION_SEQUENCES } from './dpop-transaction-cases.js';
import {
  type AppSpec,
  type CaseRequest,
  CONFORMANCE_APP,
  createKit,
  type Driver,
  deploymentOf,
  type Observed,
  type StoreKit,
  type StoreVariant,
  toStepUpRequest,
} from './setup.js';
import { type ConformanceSequence, SEQUENCES, TRANSACTION_CASES } from './transactions.js';

/** The reference driver: the core's decisions (one engine per deployment), rendered as adapters must. */
export function coreDriver<K>(
  spec: AppSpec<K>,
  name = 'core',
  backend: 'native' | 'jose' = 'native',
): Driver<K> {
  const engines = new Map<string, StepUp>();
  return {
    name: `${name} (${backend} backend)`,
    async start(kit) {
      for (const deployment of spec.deployments(kit))
        engines.set(deployment.name, createStepUp({ ...deployment.options, backend }));
    },
    async send(req: CaseRequest): Promise<Observed> {
      const stepUp = engines.get(deploymentOf(req))!;
      if (req.route.operation === undefined) {
        const metadata = stepUp.metadata!;
        return metadata.path === req.route.path
          ? { status: 200, wwwAuthenticate: undefined, body: JSON.parse(metadata.body) }
          : { status: 404, wwwAuthenticate: undefined, body: {} };
      }
      const decision = await stepUp.decide(req.route.operation, toStepUpRequest(req));
      if (decision.allowed)
        return {
          status: 200,
          wwwAuthenticate: undefined,
          body: {
            sub: decision.token.subject,
            level: decision.level ?? null,
            authorization_details: decision.authorizationDetails,
          },
          dpopNonce: decision.headers?.['dpop-nonce'],
        };
      const { error } = decision;
      return {
        status: error.status,
        wwwAuthenticate: error.headers['www-authenticate'],
        body: error.body,
        dpopNonce: error.headers['dpop-nonce'],
      };
    },
    async stop() {
      engines.clear();
    },
  };
}

const comparable = (o: Observed | Expected) =>
  JSON.stringify({ status: o.status, wwwAuthenticate: o.wwwAuthenticate, body: o.body });

/** Each sequence's steps in order; a step's requests are sent concurrently. */
function runSequences<K>(
  context: () => { kit: K; driver: Driver<K> },
  sequences: readonly ConformanceSequence<K>[],
): void {
  for (const sequence of sequences) {
    it(sequence.name, async () => {
      const { kit, driver } = context();
      for (const [i, step] of (await sequence.steps(kit)).entries()) {
        const observed = await Promise.all(step.send.map((request) => driver.send(request)));
        // Concurrent answers may come in any order: compared sorted, as a multiset.
        const seen = observed.map((o) => comparable({ ...o, body: JSON.parse(JSON.stringify(o.body)) }));
        expect({ step: i, answers: seen.sort() }).toEqual({
          step: i,
          answers: step.expect.map(comparable).sort(),
        });
      }
    });
  }
}

/** One case: exact status, `WWW-Authenticate` and body, and the `DPoP-Nonce` when the case says. */
function runCase<K>(c: ConformanceCase<K>, context: () => { kit: K; driver: Driver<K> }): void {
  it(c.name, async () => {
    const { kit, driver } = context();
    const observed = await driver.send(await c.request(kit, (req) => driver.send(req)));
    expect({ status: observed.status, wwwAuthenticate: observed.wwwAuthenticate }).toEqual({
      status: c.expect.status,
      wwwAuthenticate: c.expect.wwwAuthenticate,
    });
    expect(JSON.parse(JSON.stringify(observed.body))).toEqual(c.expect.body);
    if (c.expect.dpopNonce !== undefined)
      expect(observed.dpopNonce !== undefined && /^[A-Za-z0-9_-]{43}$/.test(observed.dpopNonce)).toBe(
        c.expect.dpopNonce,
      );
  });
}

/** What a table may add to its cases: sequences, and what to release once the suite is over. */
export interface TableExtras<K> {
  readonly sequences?: readonly ConformanceSequence<K>[];
  /** Called after the driver stopped (closes what the kit opened: Redis clients, a database). */
  readonly release?: (kit: K) => Promise<void>;
}

/**
 * Runs a table of cases (then its sequences) against one driver. Cases that need two instances sharing
 * Redis run in a suite of their own under `requires('redis')`.
 */
export function runTable<K>(
  title: string,
  driver: Driver<K>,
  createTableKit: () => Promise<K>,
  cases: readonly ConformanceCase<K>[],
  extras: TableExtras<K> = {},
): void {
  describe(`${title}: ${driver.name}`, () => {
    let kit: K;
    beforeAll(async () => {
      kit = await createTableKit();
      await driver.start(kit);
    });
    afterAll(async () => {
      await driver.stop();
      if (kit !== undefined) await extras.release?.(kit);
    });
    const context = () => ({ kit, driver });
    for (const c of cases.filter((c) => c.needsSharedStore !== true)) runCase(c, context);
    const shared = cases.filter((c) => c.needsSharedStore === true);
    if (shared.length > 0)
      describe('two instances sharing Redis', requires('redis'), () => {
        for (const c of shared) runCase(c, context);
      });
    runSequences(context, extras.sequences ?? []);
  });
}

/**
 * Runs the whole conformance table (Bearer, transactions, DPoP, and DPoP with transactions, sequences
 * included) against one driver.
 */
export function runConformance(driver: Driver): void {
  runTable(
    'conformance',
    driver,
    createKit,
    [...CASES, ...TRANSACTION_CASES, ...DPOP_PROOF_CASES, ...DPOP_SCHEME_CASES, ...DPOP_TRANSACTION_CASES],
    { sequences: [...SEQUENCES, ...DPOP_TRANSACTION_SEQUENCES], release: (kit) => kit.close() },
  );
}

/** The transaction cases and sequences (Bearer and DPoP) against a driver recording uses in `variant`. */
export function runTransactionConformance(driver: Driver<StoreKit>, variant: StoreVariant): void {
  const createStoreKit = async (): Promise<StoreKit> => {
    const kit = await createKit();
    const { store, close } = await variant.open();
    return {
      ...kit,
      store,
      async close() {
        await kit.close();
        await close();
      },
    };
  };
  runTable(
    `transaction conformance on ${variant.name}`,
    driver,
    createStoreKit,
    [...TRANSACTION_CASES, ...DPOP_TRANSACTION_CASES],
    { sequences: [...SEQUENCES, ...DPOP_TRANSACTION_SEQUENCES], release: (kit) => kit.close() },
  );
}

export { CONFORMANCE_APP };
