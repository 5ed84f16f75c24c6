import { createStepUp, type StepUp } from '@stepup/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES } from './cases.js';
import { DPOP_PROOF_CASES } from './dpop-proof-cases.js';
import { DPOP_SCHEME_CASES } from './dpop-scheme-cases.js';
import {
  type CaseRequest,
  createKit,
  type Driver,
  deploymentOf,
  deployments,
  type Kit,
  type Observed,
  toStepUpRequest,
} from './setup.js';

/** The reference driver: the core's decision, rendered as an adapter must render it. */
export function coreDriver(): Driver {
  const engines = new Map<string, StepUp>();
  return {
    name: 'core',
    async start(kit) {
      for (const deployment of deployments(kit))
        engines.set(deployment.name, createStepUp(deployment.options));
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
          body: { sub: decision.token.subject, level: decision.level ?? null },
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
    async stop() {},
  };
}

/** Runs the whole conformance table (Bearer, then DPoP) against one driver. */
export function runConformance(driver: Driver): void {
  describe(`conformance: ${driver.name}`, () => {
    let kit: Kit;
    beforeAll(async () => {
      kit = await createKit();
      await driver.start(kit);
    });
    afterAll(async () => {
      await driver.stop();
      await kit?.close();
    });
    for (const c of [...CASES, ...DPOP_PROOF_CASES, ...DPOP_SCHEME_CASES]) {
      it(c.name, async (context) => {
        if (c.needsSharedStore && !kit.sharedStore)
          return context.skip('needs REDIS_URL (two instances sharing Redis)');
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
  });
}
