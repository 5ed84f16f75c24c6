import { createStepUp, type StepUp } from '@stepup/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, type ConformanceCase, type Expected } from './cases.js';
import {
  type AppSpec,
  type CaseRequest,
  CONFORMANCE_APP,
  createKit,
  type Driver,
  type Observed,
  type StoreKit,
  type StoreVariant,
  toStepUpRequest,
} from './setup.js';
import { type ConformanceSequence, SEQUENCES, TRANSACTION_CASES } from './transactions.js';

/** The reference driver: the core's decision, rendered as an adapter must render it. */
export function coreDriver<K>(
  spec: AppSpec<K>,
  name = 'core',
  backend: 'native' | 'jose' = 'native',
): Driver<K> {
  let stepUp: StepUp;
  return {
    name: `${name} (${backend} backend)`,
    async start(kit) {
      stepUp = createStepUp({ ...spec.options(kit), backend });
    },
    async send(req: CaseRequest): Promise<Observed> {
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
        };
      const { error } = decision;
      return { status: error.status, wwwAuthenticate: error.headers['www-authenticate'], body: error.body };
    },
    async stop() {},
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

/** What a table may add to its cases: sequences, and what to release once the suite is over. */
export interface TableExtras<K> {
  readonly sequences?: readonly ConformanceSequence<K>[];
  /** Called after the driver stopped (closes a database the kit opened). */
  readonly release?: (kit: K) => Promise<void>;
}

/** Runs a table of cases (then its sequences) against one driver: exact status, `WWW-Authenticate` and body. */
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
      await extras.release?.(kit);
    });
    for (const c of cases) {
      it(c.name, async () => {
        const observed = await driver.send(await c.request(kit));
        expect({ status: observed.status, wwwAuthenticate: observed.wwwAuthenticate }).toEqual({
          status: c.expect.status,
          wwwAuthenticate: c.expect.wwwAuthenticate,
        });
        expect(JSON.parse(JSON.stringify(observed.body))).toEqual(c.expect.body);
      });
    }
    runSequences(() => ({ kit, driver }), extras.sequences ?? []);
  });
}

/** Runs the whole conformance table, the transaction cases and sequences included, against one driver. */
export function runConformance(driver: Driver): void {
  runTable('conformance', driver, createKit, [...CASES, ...TRANSACTION_CASES], { sequences: SEQUENCES });
}

/** The transaction cases and sequences against one driver whose engine records uses in `variant`. */
export function runTransactionConformance(driver: Driver<StoreKit>, variant: StoreVariant): void {
  const createStoreKit = async (): Promise<StoreKit> => {
    const kit = await createKit();
    const { store, close } = await variant.open();
    return { ...kit, store, close };
  };
  runTable(`transaction conformance on ${variant.name}`, driver, createStoreKit, TRANSACTION_CASES, {
    sequences: SEQUENCES,
    release: (kit) => kit.close(),
  });
}

export { CONFORMANCE_APP };
