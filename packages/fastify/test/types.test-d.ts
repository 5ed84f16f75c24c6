// Type tests, checked by `tsc -p tsconfig.json` (CI typecheck); nothing here runs.
import type { StepUp, VerifiedToken } from '@stepup/core';
import { type StepUpFastify, type StepUpGrant, stepUpFastify } from '@stepup/fastify';
import Fastify, { type FastifyRequest, type preHandlerHookHandler } from 'fastify';
import { expectTypeOf } from 'vitest';

declare const engine: StepUp;
const app = Fastify();
await app.register(stepUpFastify, { engine, exposeChallenge: true });

// Declaration merging: the instance decorator, the request decoration, and the route config.
expectTypeOf(app.stepUp).toEqualTypeOf<StepUpFastify>();
expectTypeOf(app.stepUp.require('transfers:create')).toEqualTypeOf<preHandlerHookHandler>();
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
