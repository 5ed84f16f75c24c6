import type { Logger } from '@stepup-example/observability';
import type { Request, RequestHandler } from 'express';

// `/interaction/<uid>/…` and the provider's resume path `/auth/<uid>`: the uid is also the value of the
// provider's `_interaction` and `_interaction_resume` cookies, so it is cut out like any cookie.
const INTERACTION = /^\/(interaction|auth)\/[^/]+/;

/**
 * The path of a request as the log writes it: no query string (authorization requests and callbacks
 * carry `state`, `code_challenge`, codes there) and no interaction uid.
 */
export function logPath(req: Request): string {
  // `originalUrl`: inside a router `req.path` is relative to where the router is mounted.
  const path = req.originalUrl.split('?', 1)[0] ?? '';
  return path.replace(INTERACTION, '/$1/:uid');
}

/**
 * One `request.completed` line per answered request: method, {@link logPath}, status and duration;
 * 5xx at `error`, 4xx at `warn`. Never a header, a body or a query string (those carry cookies,
 * codes, tokens and one-time codes). The bank's `Logger` takes an event and fields, not a pino
 * instance, so `pino-http` cannot write through it: these few lines do what it would.
 */
export function requestLog(logger: Logger, now: () => number): RequestHandler {
  return (req, res, next) => {
    const start = now();
    res.once('finish', () => {
      const fields = { method: req.method, path: logPath(req), status: res.statusCode, ms: now() - start };
      if (res.statusCode >= 500) logger.error('request.completed', fields);
      else if (res.statusCode >= 400) logger.warn('request.completed', fields);
      else logger.info('request.completed', fields);
    });
    next();
  };
}
