// Type tests, checked by `tsc -p tsconfig.json` (CI typecheck); nothing here runs.
import type { StepUp, VerifiedToken } from '@stepup/core';
import { type StepUpGrant, type StepUpMiddleware, stepUpErrorHandler, stepUpExpress } from '@stepup/express';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { expectTypeOf } from 'vitest';

declare const engine: StepUp;
const stepUp = stepUpExpress({ engine, exposeChallenge: true });

expectTypeOf(stepUp.require('transfers:create')).toEqualTypeOf<StepUpMiddleware>();
// It is Express middleware, and awaitable without `next`.
express().post('/transfers', stepUp.require('transfers:create'), (_req, res) => res.end());
declare const res: Response;
expectTypeOf(stepUpErrorHandler).toEqualTypeOf<ErrorRequestHandler>();
expectTypeOf(stepUp.engine).toEqualTypeOf<StepUp>();

// Declaration merging: every Express request carries the optional grant.
expectTypeOf<Request['stepUp']>().toEqualTypeOf<StepUpGrant | undefined>();
declare const req: Request;
expectTypeOf(stepUp.require('transfers:create')(req, res)).toEqualTypeOf<Promise<boolean>>();
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
// @ts-expect-error a misspelt adapter option is refused, also beside an engine
stepUpExpress({ engine, exposeChalenge: true });
// @ts-expect-error forwardDenials is a boolean
stepUpExpress({ engine, forwardDenials: 1 });
