import type { Db } from '@stepup-example/db';
import type { Logger } from '@stepup-example/observability';
import type { RequestHandler } from 'express';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { sharedLimiter } from '../../db/limiter.js';
import { AuthServerError } from '../../errors.js';
import { logPath } from './request-log.js';

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /** Attempts allowed per client address and window. */
  max: number;
  windowSeconds: number;
  /** Where the counts are kept (shared by every instance of the server on this database). */
  db: Db;
  logger: Logger;
}

/**
 * At most `max` attempts per client address (the socket's address: the server does not trust
 * `X-Forwarded-For`) and window of `windowSeconds`, counted by `rate-limiter-flexible` in the database
 * ({@link sharedLimiter}), so several instances of the server share the limit. Over it the request
 * fails with `ERR_RATE_LIMITED` (429) and `Retry-After` (seconds until the window ends).
 */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  if (!Number.isInteger(options.max) || options.max < 1)
    throw new AuthServerError('ERR_CONFIG', 'rate limit max must be >= 1');
  if (!(options.windowSeconds > 0)) throw new AuthServerError('ERR_CONFIG', 'rate limit window must be > 0');
  const limiter = sharedLimiter(options.db, {
    keyPrefix: 'signin',
    points: options.max,
    duration: options.windowSeconds,
  });
  return (req, res, next) => {
    const key = req.socket.remoteAddress ?? 'unknown';
    limiter.consume(key).then(
      () => next(),
      (error: unknown) => {
        // The library rejects with a RateLimiterRes when over the limit, with the store's error otherwise.
        if (!(error instanceof RateLimiterRes)) {
          next(error);
          return;
        }
        res.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.msBeforeNext / 1000))));
        options.logger.warn('signin.rate_limited', { ip: key, path: logPath(req) });
        next(
          new AuthServerError(
            'ERR_RATE_LIMITED',
            'Too many sign-in attempts. Please wait a minute and try again.',
          ),
        );
      },
    );
  };
}
