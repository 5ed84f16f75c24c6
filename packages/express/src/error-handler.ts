import { isStepUpError } from '@stepup/core';
import type { ErrorRequestHandler } from 'express';

/**
 * An Express error handler for apps that set `forwardDenials`: it answers a denial (a `StepUpError`
 * the engine rendered) with its status, headers (`WWW-Authenticate`, `Cache-Control: no-store`,
 * `Retry-After`) and JSON body (`{ error, error_description, code, acr_values?, max_age?, scope? }`).
 * Any other error, one that arrives after the headers were sent, and the core's programming errors
 * (`ERR_OPERATION_UNKNOWN`, `ERR_POLICY_INVALID`, which are thrown, not rendered) go on to the next
 * error handler. Without `forwardDenials` the middleware answers denials itself and needs no handler.
 * @example
 * app.use(stepUpErrorHandler);
 */
export const stepUpErrorHandler: ErrorRequestHandler = (err, _req, res, next) => {
  // Only a rendered denial has response headers (at least `Cache-Control: no-store`).
  if (!isStepUpError(err) || err.headers['cache-control'] === undefined || res.headersSent) return next(err);
  res.status(err.status).set(err.headers).json(err.body);
};
