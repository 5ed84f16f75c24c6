import { isStepUpError } from '@stepup/core';
import type { ErrorRequestHandler } from 'express';

/**
 * An Express error handler that answers a denial (a `StepUpError`) with its status, headers
 * (`WWW-Authenticate`, `Cache-Control: no-store`, and the exposed-header line when enabled) and its
 * JSON body (`{ error, error_description, code, acr_values?, max_age?, scope? }`). Any other error,
 * one that arrives after the headers were sent, and the core's 500s (`ERR_POLICY_INVALID`: a bug in a
 * policy, whose message describes the policy) go on to the next error handler.
 *
 * Without it Express's default handler still sets the right status and headers, with an HTML body.
 * @example
 * app.use(stepUpErrorHandler);
 */
export const stepUpErrorHandler: ErrorRequestHandler = (err, _req, res, next) => {
  if (!isStepUpError(err) || err.status === 500 || res.headersSent) return next(err);
  res.status(err.status).set(err.headers).json(err.body);
};
