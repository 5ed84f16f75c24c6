import {
  type AdapterOptions,
  type Decision,
  exposeChallenge,
  resolveAdapterOptions,
  type StepUp,
  type StepUpAdapterOptions,
  type StepUpGrant,
} from '@stepup/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { toStepUpRequest } from './request.js';

/** What `require` leaves on `req.stepUp` when a request is allowed: the core's allowed decision. */
export type { StepUpGrant };

declare global {
  namespace Express {
    interface Request {
      /**
       * Set by `stepUp.require(operation)` once the request is allowed: the verified token, the
       * satisfied named level (if any) and the requirement that was met. `undefined` on routes
       * that no step-up middleware guards.
       */
      stepUp?: StepUpGrant;
    }
  }
}

/** Options that only the Express adapter reads (`exposeChallenge`). */
export type ExpressAdapterOptions = AdapterOptions;

/** Options of `stepUpExpress`: the core's options, or an engine built with `createStepUp`. */
export type StepUpExpressOptions = StepUpAdapterOptions;

/** A configured Express adapter. */
export interface StepUpExpress {
  /**
   * A middleware that lets a request through only when it may perform `operation`, setting
   * `req.stepUp`. A denial goes to `next(err)` as the core's `StepUpError` (with `status`,
   * `statusCode`, `headers` and `body`). Put a body parser before it when the policy reads the body.
   * @throws StepUpError `ERR_OPERATION_UNKNOWN` here, when the route is declared, if no policy defines `operation`.
   */
  require(operation: string): RequestHandler;
  /** The core engine (`decide`, `operations`, `levels`, `clearCache`). */
  readonly engine: StepUp;
}

/**
 * Creates the Express 5 adapter of `@stepup/core`: step-up authorization (RFC 9470) per route.
 * It translates the request and passes the decision on; the status, `WWW-Authenticate`
 * and JSON body all come from the core. Does not parse bodies, set CORS headers other than
 * the exposed challenge, or render errors itself: add `stepUpErrorHandler` for JSON bodies.
 *
 * @throws StepUpError `ERR_CONFIG_INVALID` for invalid options (at boot).
 * @example
 * const stepUp = stepUpExpress({ issuers, levels, operations });
 * app.post('/transfers', express.json(), stepUp.require('transfers:create'), (req, res) => {
 *   res.json({ by: req.stepUp?.token.subject });
 * });
 * app.use(stepUpErrorHandler);
 */
export function stepUpExpress(options: StepUpExpressOptions): StepUpExpress {
  const { engine, exposeChallenge: expose } = resolveAdapterOptions(options);
  return {
    engine,
    require(operation) {
      engine.assertOperation(operation);
      const settle = (decision: Decision, req: Request, res: Response, next: NextFunction) => {
        if (decision.allowed) {
          req.stepUp = decision;
          return next();
        }
        if (expose) exposeChallenge(decision.error, res.getHeader('access-control-expose-headers'));
        next(decision.error);
      };
      // Cache hits and early denials are settled synchronously: no promise per request.
      return function stepUpMiddleware(req, res, next) {
        const request = toStepUpRequest(req);
        const decision = engine.decideSync(operation, request);
        if (decision !== undefined) return settle(decision, req, res, next);
        engine.decide(operation, request).then((d) => settle(d, req, res, next), next);
      };
    },
  };
}
