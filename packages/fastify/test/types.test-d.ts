// Type tests, checked by `tsc -p tsconfig.json` (CI typecheck); nothing here runs.
import type { StepUp, VerifiedToken } from '@stepup/core';
import { type StepUpFastify, type StepUpGrant, type StepUpPreHandler, stepUpFastify } from '@stepup/fastify';
import Fastify, { type FastifyRequest } from 'fastify';
import { expectTypeOf } from 'vitest';

declare const engine: StepUp;
const app = Fastify();
await app.register(stepUpFastify, { engine, exposeChallenge: true });

// Declaration merging: the instance decorator, the request decoration, and the route config.
expectTypeOf(app.stepUp).toEqualTypeOf<StepUpFastify>();
expectTypeOf(app.stepUp.require('transfers:create')).toEqualTypeOf<StepUpPreHandler>();
// Awaited inside another hook, without `done`.
app.addHook('preHandler', async (request, reply) => {
  expectTypeOf(app.stepUp.require('transfers:create')(request, reply)).toEqualTypeOf<Promise<void>>();
  await app.stepUp.require('transfers:create')(request, reply);
});
expectTypeOf<FastifyRequest['stepUp']>().toEqualTypeOf<StepUpGrant | null>();

app.post<{ Body: { amount: number } }>(
  '/transfers',
  { preHandler: app.stepUp.require('transfers:create') },
  async (request) => {
    expectTypeOf(request.body.amount).toEqualTypeOf<number>();
    if (request.stepUp !== null) {
      expectTypeOf(request.stepUp.token).toEqualTypeOf<VerifiedToken>();
      expectTypeOf(request.stepUp.level).toEqualTypeOf<string | undefined>();
    }
    return {};
  },
);
app.get('/accounts', { config: { stepUp: 'accounts:read' } }, async () => ({}));
// @ts-expect-error the operation is a string
app.get('/accounts', { config: { stepUp: 42 } }, async () => ({}));

// @ts-expect-error an engine and core options are exclusive
await app.register(stepUpFastify, { engine, issuers: [] as never[], operations: {} });
// @ts-expect-error exposeChallenge is a boolean
await app.register(stepUpFastify, { engine, exposeChallenge: 'yes' });
// @ts-expect-error a misspelt adapter option is refused, also beside an engine
await app.register(stepUpFastify, { engine, exposeChalenge: true });
