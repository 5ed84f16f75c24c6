import type { Logger } from '@stepup-example/observability';
import express, { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import type { z } from 'zod';
import { AuthServerError } from '../../errors.js';
import { isDbFault, RETRY_AFTER_SECONDS } from './health.js';
import { logPath } from './request-log.js';

/**
 * JSON body parsing for the bank's own POST routes only (never in front of the provider): requires
 * `Content-Type: application/json` (which also keeps cross-site form posts out) and bounds the size.
 */
export function jsonBody(limitBytes: number): RequestHandler[] {
  return [
    (req, _res, next) => {
      next(
        req.is('application/json')
          ? undefined
          : new AuthServerError('ERR_UNSUPPORTED_MEDIA_TYPE', 'Please send this request as JSON.'),
      );
    },
    express.json({ limit: limitBytes, strict: true }),
  ];
}

/** Parses `req.body` with `schema`, or fails with `ERR_BAD_REQUEST`. */
export function parseBody<S extends z.ZodType>(req: Request, schema: S, message: string): z.infer<S> {
  const result = schema.safeParse(req.body);
  if (!result.success) throw new AuthServerError('ERR_BAD_REQUEST', message, { cause: result.error });
  return result.data;
}

/** Wraps an async handler so that rejections reach the error handler. */
export function route(handler: (...args: Parameters<RequestHandler>) => Promise<void>): RequestHandler {
  return (req, res, next) => {
    handler(req, res, next).catch(next);
  };
}

function toAuthServerError(error: unknown): AuthServerError {
  if (error instanceof AuthServerError) return error;
  if (isDbFault(error)) {
    return new AuthServerError(
      'ERR_UNAVAILABLE',
      'The bank is briefly unavailable. Please try again in a moment.',
      { cause: error },
    );
  }
  const type = typeof error === 'object' && error !== null && 'type' in error ? error.type : undefined;
  if (type === 'entity.too.large') {
    return new AuthServerError('ERR_PAYLOAD_TOO_LARGE', 'This request is too large.', { cause: error });
  }
  if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new AuthServerError('ERR_BAD_REQUEST', 'This request could not be read.', { cause: error });
  }
  const name = typeof error === 'object' && error !== null && 'name' in error ? error.name : undefined;
  if (name === 'SessionNotFound') {
    return new AuthServerError(
      'ERR_INTERACTION_NOT_FOUND',
      'This sign-in has expired. Please go back to the app and start again.',
      { cause: error },
    );
  }
  return new AuthServerError('ERR_INTERNAL', 'Something went wrong on our side. Please try again.', {
    cause: error,
  });
}

/**
 * Answers every failure of the bank's routes as JSON `{ error, message }` with the error's status,
 * and logs the attempt with its stable code (the cause is logged, never sent). A fault of the database
 * is 503 `temporarily_unavailable` with `Retry-After`.
 */
export function jsonErrors(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const e = toAuthServerError(error);
    const fields = {
      code: e.code,
      status: e.status,
      path: logPath(req),
      ip: req.socket.remoteAddress,
      cause: String(e.cause ?? ''),
    };
    if (e.status >= 500) logger.error('request.failed', fields);
    else logger.warn('request.refused', fields);
    if (res.headersSent) return;
    if (e.status === 503) res.set('Retry-After', String(RETRY_AFTER_SECONDS));
    if (e.retryAfter !== undefined) res.set('Retry-After', String(e.retryAfter));
    res
      .status(e.status)
      .type('application/json')
      .send(JSON.stringify({ error: e.error, message: e.message }));
  };
}
