import type { RequestHandler } from 'express';

/**
 * CORS for the bank's web client: only the listed origins, credentials never (the web client sends a
 * bearer token, not cookies). Answers preflights itself. The step-up adapter adds `WWW-Authenticate`
 * to `Access-Control-Expose-Headers` on denials (`exposeChallenge: true`); `Idempotent-Replayed` is
 * exposed here.
 */
export function cors(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    res.vary('Origin');
    if (origin === undefined || !allowed.has(origin)) {
      next();
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', 'Idempotent-Replayed');
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Idempotency-Key');
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
