import { isDbError, type Readiness, readinessAnswer } from '@stepup-example/db';
import { Router } from 'express';

/** What every 503 answers in `Retry-After`, in seconds (the database layer's, shared with readiness). */
export { RETRY_AFTER_SECONDS } from '@stepup-example/db';

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
