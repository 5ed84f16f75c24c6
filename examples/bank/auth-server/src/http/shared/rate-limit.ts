import type { Logger } from '@stepup-example/observability';
import type { RequestHandler } from 'express';
import { AuthServerError } from '../../errors.js';

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /** Attempts allowed per client address and window. */
  max: number;
  windowSeconds: number;
  now: () => number;
  logger: Logger;
}

/**
 * A fixed-window limit per client address (the socket's address: the server does not trust
 * `X-Forwarded-For`). Over the limit the request fails with `ERR_RATE_LIMITED` (429) and a
 * `Retry-After` header. In memory: one process, which is what the example runs.
 */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  if (!Number.isInteger(options.max) || options.max < 1)
    throw new AuthServerError('ERR_CONFIG', 'rate limit max must be >= 1');
  if (!(options.windowSeconds > 0)) throw new AuthServerError('ERR_CONFIG', 'rate limit window must be > 0');
  const windowMs = options.windowSeconds * 1000;
  const windows = new Map<string, { start: number; count: number }>();
  return (req, res, next) => {
    const now = options.now();
    const key = req.socket.remoteAddress ?? 'unknown';
    let entry = windows.get(key);
    if (!entry || now - entry.start >= windowMs) {
      if (windows.size > 10_000) {
        for (const [k, v] of windows) if (now - v.start >= windowMs) windows.delete(k);
      }
      entry = { start: now, count: 0 };
      windows.set(key, entry);
    }
    entry.count += 1;
    if (entry.count > options.max) {
      const retryAfter = Math.max(1, Math.ceil((entry.start + windowMs - now) / 1000));
      res.setHeader('Retry-After', String(retryAfter));
      options.logger.warn('signin.rate_limited', { ip: key, path: req.path });
      next(
        new AuthServerError(
          'ERR_RATE_LIMITED',
          'Too many sign-in attempts. Please wait a minute and try again.',
        ),
      );
      return;
    }
    next();
  };
}
