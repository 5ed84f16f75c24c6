import { createStepUp, type StepUp } from '@stepup/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, type ConformanceCase } from './cases.js';
import {
  type AppSpec,
  type CaseRequest,
  CONFORMANCE_APP,
  createKit,
  type Driver,
  type Observed,
  toStepUpRequest,
} from './setup.js';

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
          body: { sub: decision.token.subject, level: decision.level ?? null },
        };
      const { error } = decision;
      return { status: error.status, wwwAuthenticate: error.headers['www-authenticate'], body: error.body };
    },
    async stop() {},
  };
}

/** Runs a table of cases against one driver: exact status, `WWW-Authenticate` and body. */
export function runTable<K>(
  title: string,
  driver: Driver<K>,
  createTableKit: () => Promise<K>,
  cases: readonly ConformanceCase<K>[],
): void {
  describe(`${title}: ${driver.name}`, () => {
    let kit: K;
    beforeAll(async () => {
      kit = await createTableKit();
      await driver.start(kit);
    });
    afterAll(() => driver.stop());
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
  });
}

/** Runs the whole conformance table against one driver. */
export function runConformance(driver: Driver): void {
  runTable('conformance', driver, createKit, CASES);
}

export { CONFORMANCE_APP };
