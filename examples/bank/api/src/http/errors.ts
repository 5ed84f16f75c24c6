import { isStepUpError } from '@stepup/core';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { BankApiError } from '../errors.js';
import type { Logger } from '../logger.js';

/** Turns a zod failure into `ERR_VALIDATION` with one `{ path, message }` per issue. */
export function validationError(error: z.ZodError, what: string): BankApiError {
  const details = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  return new BankApiError('ERR_VALIDATION', `The ${what} is not valid.`, { details });
}

/** Parses `value` with `schema`. @throws BankApiError `ERR_VALIDATION`. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error, what);
  return parsed.data;
}

const BodyParserError = z.object({ type: z.enum(['entity.too.large', 'entity.parse.failed']) });

/** 404 `ERR_NOT_FOUND` for every route the API does not have. */
export const notFound: RequestHandler = (_req, _res, next) => {
  next(new BankApiError('ERR_NOT_FOUND', 'No such endpoint.'));
};

/**
 * Renders every error as JSON `{ code, message }`. Step-up denials keep the core's status,
 * `WWW-Authenticate` (and exposed-header line) and RFC 9470 body, with `message` added so that every
 * error has the same two fields. Unexpected errors are logged and answered `ERR_INTERNAL`, without
 * their text.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    if (isStepUpError(error)) {
      const message = error.body.error_description ?? 'Authorization failed.';
      res
        .status(error.status)
        .set(error.headers)
        .json({ ...error.body, message });
      return;
    }
    let known: BankApiError;
    const parser = BodyParserError.safeParse(error);
    if (error instanceof BankApiError) known = error;
    else if (parser.success && parser.data.type === 'entity.too.large') {
      known = new BankApiError('ERR_BODY_TOO_LARGE', 'The request body is too large.');
    } else if (parser.success)
      known = new BankApiError('ERR_BODY_MALFORMED', 'The request body is not valid JSON.');
    else {
      logger.error('request.failed', { method: req.method, path: req.path, error: String(error) });
      known = new BankApiError('ERR_INTERNAL', 'Something went wrong on our side.');
    }
    if (known.status >= 500 && known.code !== 'ERR_INTERNAL') {
      logger.warn('request.unavailable', { path: req.path, code: known.code });
    }
    res.status(known.status).set('Cache-Control', 'no-store').json(known.toJSON());
  };
}
