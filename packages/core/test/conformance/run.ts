import { createStepUp, type StepUp, type StepUpOptions } from '@stepup/core';
import type { ReplayStore } from '@stepup/core/stores';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, type ConformanceCase, type Expected } from './cases.js';
import {
  type CaseRequest,
  conformanceOptions,
  createKit,
  type Driver,
  type Kit,
  type Observed,
  toStepUpRequest,
} from './setup.js';
import { type ConformanceSequence, SEQUENCES, TRANSACTION_CASES } from './transactions.js';

/** The reference driver: the core's decision, rendered as an adapter must render it. */
export function coreDriver(): Driver {
  let stepUp: StepUp;
  return {
    name: 'core',
    async start(_kit, options) {
      stepUp = createStepUp(options);
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

function runCases(context: () => { kit: Kit; driver: Driver }, cases: readonly ConformanceCase[]): void {
  for (const c of cases) {
    it(c.name, async () => {
      const { kit, driver } = context();
      const observed = await driver.send(await c.request(kit));
      expect({ status: observed.status, wwwAuthenticate: observed.wwwAuthenticate }).toEqual({
        status: c.expect.status,
        wwwAuthenticate: c.expect.wwwAuthenticate,
      });
      expect(JSON.parse(JSON.stringify(observed.body))).toEqual(c.expect.body);
    });
  }
}

function runSequences(
  context: () => { kit: Kit; driver: Driver },
  sequences: readonly ConformanceSequence[],
) {
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

/** Runs the whole conformance table, and the transaction sequences, against one driver. */
export function runConformance(driver: Driver): void {
  describe(`conformance: ${driver.name}`, () => {
    let kit: Kit;
    beforeAll(async () => {
      kit = await createKit();
      await driver.start(kit, conformanceOptions(kit));
    });
    afterAll(() => driver.stop());
    runCases(() => ({ kit, driver }), [...CASES, ...TRANSACTION_CASES]);
    runSequences(() => ({ kit, driver }), SEQUENCES);
  });
}

/** A shared replay store to run the transaction conformance against, opened per suite. */
export interface StoreVariant {
  readonly name: string;
  open(): Promise<{ readonly store: ReplayStore; close(): Promise<void> }>;
}

/** The transaction cases and sequences against one driver whose engine records uses in `variant`. */
export function runTransactionConformance(driver: Driver, variant: StoreVariant): void {
  describe(`transaction conformance: ${driver.name} on ${variant.name}`, () => {
    let kit: Kit;
    let close: () => Promise<void> = async () => {};
    beforeAll(async () => {
      kit = await createKit();
      const opened = await variant.open();
      close = opened.close;
      const options: StepUpOptions = conformanceOptions(kit, { transactions: { store: opened.store } });
      await driver.start(kit, options);
    });
    afterAll(async () => {
      await driver.stop();
      await close();
    });
    runCases(() => ({ kit, driver }), TRANSACTION_CASES);
    runSequences(() => ({ kit, driver }), SEQUENCES);
  });
}
