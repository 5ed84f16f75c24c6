// Type tests, checked by `tsc -p tsconfig.json` (CI typecheck); nothing here runs.
import type { StepUp, VerifiedToken } from '@stepup/core';
import { type StepUpGrant, stepUpErrorHandler, stepUpExpress } from '@stepup/express';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { expectTypeOf } from 'vitest';

declare const engine: StepUp;
const stepUp = stepUpExpress({ engine, exposeChallenge: true });

expectTypeOf(stepUp.require('transfers:create')).toEqualTypeOf<RequestHandler>();
expectTypeOf(stepUpErrorHandler).toEqualTypeOf<ErrorRequestHandler>();
expectTypeOf(stepUp.engine).toEqualTypeOf<StepUp>();

// Declaration merging: every Express request carries the optional grant.
expectTypeOf<Request['stepUp']>().toEqualTypeOf<StepUpGrant | undefined>();
declare const req: Request;
if (req.stepUp !== undefined) {
  expectTypeOf(req.stepUp.token).toEqualTypeOf<VerifiedToken>();
  expectTypeOf(req.stepUp.level).toEqualTypeOf<string | undefined>();
  expectTypeOf(req.stepUp.allowed).toEqualTypeOf<true>();
}

// An engine and core options are exclusive.
// @ts-expect-error engine given together with core options
stepUpExpress({ engine, issuers: [] as never[], operations: {} });
// @ts-expect-error exposeChallenge is a boolean
stepUpExpress({ engine, exposeChallenge: 'yes' });
