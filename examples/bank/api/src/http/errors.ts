import { isStepUpError, type StepUpError } from '@stepup/core';
import { ErrorBody } from '@stepup-example/contract';
import { DB_FAULT_CODES, type DbError, isDbError } from '@stepup-example/db';
import type { Logger } from '@stepup-example/observability';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { BankApiError, RETRY_AFTER_SECONDS } from '../errors.js';

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

// Faults of the database while serving (not ERR_CONFIG or a migration's codes, which only happen at start).
const SERVING_FAULTS = [...DB_FAULT_CODES, 'ERR_DB_CONFLICT'] as const;

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
  return unavailable(error);
}

function unavailable(cause: unknown): BankApiError {
  return new BankApiError(
    'ERR_UNAVAILABLE',
    'The bank cannot reach its database right now; please try again shortly.',
    { cause },
  );
}

function known(error: unknown, method: string): BankApiError | undefined {
  if (error instanceof BankApiError) return error;
  if (isDbError(error, SERVING_FAULTS)) return fromDbError(error, method);
  const parser = BodyParserError.safeParse(error);
  if (!parser.success) return undefined;
  return parser.data.type === 'entity.too.large'
    ? new BankApiError('ERR_BODY_TOO_LARGE', 'The request body is too large.')
    : new BankApiError('ERR_BODY_MALFORMED', 'The request body is not valid JSON.');
}

/**
 * A denial the step-up engine rendered for this request: a `StepUpError` with its response headers
 * (`WWW-Authenticate`, `Cache-Control`, `Retry-After`), answered 4xx or 503. The core's thrown errors
 * (`ERR_POLICY_INVALID`, `ERR_OPERATION_UNKNOWN`, `ERR_CONFIG_INVALID`) carry no headers: they are the
 * API's bugs, answered as such.
 */
function isRenderedDenial(error: unknown): error is StepUpError {
  return (
    isStepUpError(error) &&
    Object.keys(error.headers).length > 0 &&
    (error.status < 500 || error.status === 503)
  );
}

/** The RFC 6750/9470 body of a denial in the contract's shape, its description as the `message`. */
function denialBody(error: StepUpError): ErrorBody {
  const {
    code,
    error: wire,
    error_description,
    acr_values,
    max_age,
    scope,
    authorization_details,
  } = error.body;
  const details = ErrorBody.shape.authorization_details.safeParse(authorization_details).data;
  return {
    code,
    message: error_description,
    ...(wire === undefined ? {} : { error: wire }),
    error_description,
    ...(acr_values === undefined ? {} : { acr_values }),
    ...(max_age === undefined ? {} : { max_age }),
    ...(scope === undefined ? {} : { scope }),
    // The transfer to approve (RFC 9396), read with the contract's strict detail schema.
    ...(details === undefined ? {} : { authorization_details: details }),
  };
}

/**
 * The replay store of the DPoP proofs and the approvals is a table of the API's own database: when it
 * cannot tell (`ERR_REPLAY_STORE_UNAVAILABLE`, before any route runs), that is the database away, and
 * the client gets the bank's one answer for it (and readiness checks again).
 */
function isReplayStoreFault(error: unknown): error is StepUpError {
  return isStepUpError(error) && error.code === 'ERR_REPLAY_STORE_UNAVAILABLE';
}

const INTERNAL = new BankApiError('ERR_INTERNAL', 'Something went wrong on our side.');

/**
 * Renders every error as the contract's `ErrorBody`, checked against its schema before it is sent.
 * Step-up denials keep the core's status, `WWW-Authenticate` (and exposed-header line) and RFC 9470
 * fields, with `message` added. Database faults are 503 with their own codes; every 503 carries
 * `Retry-After`, and a fault of the database also calls `onDbFault` (readiness checks again).
 * Anything else, a thrown `StepUpError` included, is logged and answered 500 `ERR_INTERNAL`, without
 * its text.
 */
export function errorHandler(logger: Logger, onDbFault: () => void = () => {}): ErrorRequestHandler {
  const send = (res: Response, status: number, body: ErrorBody) => {
    const checked = ErrorBody.safeParse(body);
    if (!checked.success) {
      logger.error('response.error_body_invalid', { code: body.code, issues: checked.error.issues });
      res.status(500).json(INTERNAL.toJSON());
      return;
    }
    if (status === 503 && res.getHeader('retry-after') === undefined) {
      res.set('Retry-After', String(RETRY_AFTER_SECONDS));
    }
    res.status(status).json(checked.data);
  };

  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    res.set('Cache-Control', 'no-store');
    if (isReplayStoreFault(error)) {
      onDbFault();
      logger.warn('request.unavailable', { method: req.method, path: req.path, code: error.code });
      send(res, 503, unavailable(error).toJSON());
      return;
    }
    if (isRenderedDenial(error)) {
      res.set(error.headers);
      send(res, error.status, denialBody(error));
      return;
    }
    let answer = known(error, req.method);
    if (answer === undefined) {
      logger.error('request.failed', { method: req.method, path: req.path, error });
      answer = INTERNAL;
    }
    if (isDbError(error, DB_FAULT_CODES)) onDbFault();
    if (answer.status === 503) {
      logger.warn('request.unavailable', {
        method: req.method,
        path: req.path,
        code: answer.code,
        ...(isDbError(error) ? { cause: String(error.cause ?? error) } : {}),
      });
    }
    send(res, answer.status, answer.toJSON());
  };
}
