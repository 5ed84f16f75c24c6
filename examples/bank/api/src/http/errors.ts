import { isStepUpError } from '@stepup/core';
import { DB_FAULT_CODES, type DbError, isDbError } from '@stepup-example/db';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { BankApiError, RETRY_AFTER_SECONDS } from '../errors.js';
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

// A database fault as the client should read it. A read whose outcome is unknown was simply not
// answered (the routes already ran it again); a change whose outcome is unknown must be sent again with
// the same Idempotency-Key, which makes it happen once.
function fromDbError(error: DbError, method: string): BankApiError {
  if (error.code === 'ERR_DB_CONFLICT') {
    return new BankApiError('ERR_BUSY', 'The bank is busy; please try again.', { cause: error });
  }
  if (error.code === 'ERR_DB_OUTCOME_UNKNOWN' && method !== 'GET' && method !== 'HEAD') {
    return new BankApiError(
      'ERR_OUTCOME_UNKNOWN',
      'The connection to the database was lost while this was saved: it may or may not be done. Send it again with the same Idempotency-Key.',
      { cause: error },
    );
  }
  return new BankApiError(
    'ERR_UNAVAILABLE',
    'The bank cannot reach its database right now; please try again shortly.',
    { cause: error },
  );
}

function known(error: unknown, method: string): BankApiError | undefined {
  if (error instanceof BankApiError) return error;
  if (isDbError(error) && error.code !== 'ERR_CONFIG') return fromDbError(error, method);
  const parser = BodyParserError.safeParse(error);
  if (!parser.success) return undefined;
  return parser.data.type === 'entity.too.large'
    ? new BankApiError('ERR_BODY_TOO_LARGE', 'The request body is too large.')
    : new BankApiError('ERR_BODY_MALFORMED', 'The request body is not valid JSON.');
}

/**
 * Renders every error as JSON `{ code, message }`. Step-up denials keep the core's status,
 * `WWW-Authenticate` (and exposed-header line) and RFC 9470 body, with `message` added so that every
 * error has the same two fields. Database faults are 503 with their own codes; every 503 carries
 * `Retry-After`, and a fault of the database also calls `onDbFault` (readiness checks again).
 * Unexpected errors are logged and answered `ERR_INTERNAL`, without their text.
 */
export function errorHandler(logger: Logger, onDbFault: () => void = () => {}): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    if (isStepUpError(error)) {
      const message = error.body.error_description ?? 'Authorization failed.';
      res.status(error.status).set(error.headers);
      if (error.status === 503) res.set('Retry-After', String(RETRY_AFTER_SECONDS));
      res.json({ ...error.body, message });
      return;
    }
    let answer = known(error, req.method);
    if (answer === undefined) {
      logger.error('request.failed', { method: req.method, path: req.path, error: String(error) });
      answer = new BankApiError('ERR_INTERNAL', 'Something went wrong on our side.');
    }
    if (isDbError(error, DB_FAULT_CODES)) onDbFault();
    if (answer.status === 503) {
      logger.warn('request.unavailable', {
        method: req.method,
        path: req.path,
        code: answer.code,
        ...(isDbError(error) ? { cause: String(error.cause ?? error) } : {}),
      });
      res.set('Retry-After', String(RETRY_AFTER_SECONDS));
    }
    res.status(answer.status).set('Cache-Control', 'no-store').json(answer.toJSON());
  };
}
