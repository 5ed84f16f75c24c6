import type { RequestListener } from 'node:http';
import { isDbError, RETRY_AFTER_SECONDS, type Readiness, readinessAnswer } from '@stepup-example/db';
import { Router } from 'express';

/** What every 503 answers in `Retry-After`, in seconds (the database layer's, shared with readiness). */
export { RETRY_AFTER_SECONDS } from '@stepup-example/db';

/**
 * What the server answers between listening and having its app (it needs its port to know its issuer):
 * 503 `temporarily_unavailable`, so no early request, a readiness probe say, is left without an answer.
 */
export const whileStarting: RequestListener = (_req, res) => {
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': String(RETRY_AFTER_SECONDS) });
  res.end(JSON.stringify({ error: 'temporarily_unavailable', message: 'The server is starting.' }));
};

/** A fault of the database itself (down, connection lost, contention), as opposed to a bug: a 503. */
export function isDbFault(error: unknown): boolean {
  return isDbError(error) && error.code !== 'ERR_CONFIG';
}

/**
 * `GET /health/live` (liveness: the process serves HTTP) and `GET /health/ready`, also at `GET /health`
 * (readiness: the database answers), in front of the provider and the pages.
 */
export function healthRoutes(readiness: Readiness): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get(['/health', '/health/ready'], async (_req, res) => {
    const answer = readinessAnswer(await readiness.check());
    res.status(answer.status).set(answer.headers).json(answer.body);
  });
  return router;
}
