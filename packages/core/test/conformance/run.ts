import { createStepUp, type StepUp } from '@stepup/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES } from './cases.js';
import {
  type CaseRequest,
  conformanceOptions,
  createKit,
  type Driver,
  type Kit,
  type Observed,
  toStepUpRequest,
} from './setup.js';

/** The reference driver: the core's decision, rendered as an adapter must render it. */
export function coreDriver(backend: 'native' | 'jose' = 'native'): Driver {
  let stepUp: StepUp;
  return {
    name: `core (${backend} backend)`,
    async start(kit) {
      stepUp = createStepUp({ ...conformanceOptions(kit), backend });
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

/** Runs the whole conformance table against one driver. */
export function runConformance(driver: Driver): void {
  describe(`conformance: ${driver.name}`, () => {
    let kit: Kit;
    beforeAll(async () => {
      kit = await createKit();
      await driver.start(kit);
    });
    afterAll(() => driver.stop());
    for (const c of CASES) {
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
