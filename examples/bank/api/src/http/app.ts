import { readinessAnswer } from '@stepup-example/db';
import cors from 'cors';
import express from 'express';
import helmet from 'helmet';
import type { BankContext } from './context.js';
import { errorHandler, notFound } from './errors.js';
import { bankRoutes } from './routes.js';

/** Options of {@link createBankApp} that only the HTTP layer reads. */
export interface BankAppOptions {
  /** Origins allowed by CORS (the web client). */
  readonly webOrigins: readonly string[];
  /** Largest JSON body accepted, in bytes. */
  readonly bodyLimitBytes: number;
}

/**
 * Headers a script of the web client may read on another origin (Fetch: none of them is
 * CORS-safelisted): the RFC 6750/9470/9449 challenge, a DPoP nonce (RFC 9449 §8: the API sets none
 * today, but a client must be able to read one the day it does), when to try again after a 503, and
 * whether a transfer was a replay of an earlier one under the same key.
 */
export const EXPOSED_HEADERS = [
  'WWW-Authenticate',
  'DPoP-Nonce',
  'Retry-After',
  'Idempotent-Replayed',
] as const;

/** Request headers the web client sends: its DPoP-bound token, the proof of each request (RFC 9449), JSON, the transfer's key. */
export const ALLOWED_HEADERS = ['Authorization', 'DPoP', 'Content-Type', 'Idempotency-Key'] as const;

/**
 * The API's CORS (the `cors` package): only the listed origins, never credentials (the web client
 * sends a DPoP-bound token and a proof, not cookies), preflights answered 204 and cached 10 minutes.
 */
function bankCors(origins: readonly string[]): express.RequestHandler {
  return cors({
    origin: [...origins],
    methods: ['GET', 'POST'],
    allowedHeaders: [...ALLOWED_HEADERS],
    exposedHeaders: [...EXPOSED_HEADERS],
    credentials: false,
    maxAge: 600,
  });
}

/**
 * Security headers (helmet). The API answers JSON only, so its content security policy allows
 * nothing to load or frame it; helmet's other defaults stay (`nosniff`, `no-referrer`, HSTS, …).
 */
const securityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
});

/**
 * The bank API as an Express 5 application: security headers, CORS, the health checks, the RFC 9728
 * metadata, the guarded routes, then JSON errors for everything that fails (step-up denials included).
 * `GET /health/live` answers while the process serves HTTP (liveness); `GET /health/ready` (and
 * `GET /health`) answers from the database and the authorization server's keys (readiness).
 */
export function createBankApp(ctx: BankContext, options: BankAppOptions): express.Express {
  const app = express();
  app.set('etag', false);
  app.use(securityHeaders);
  app.use(bankCors(options.webOrigins));
  app.get('/health/live', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  app.get(['/health', '/health/ready'], async (_req, res) => {
    const answer = readinessAnswer(await ctx.readiness.check());
    res.status(answer.status).set(answer.headers).json(answer.body);
  });
  // RFC 9728, built by the core from the guard's options (DPoP's algorithms and requirement included).
  app.use(ctx.stepUp.metadata());
  const json = express.json({ limit: options.bodyLimitBytes, strict: true });
  app.use(bankRoutes(ctx, json));
  app.use(notFound);
  app.use(errorHandler(ctx.logger, () => ctx.readiness.suspect()));
  return app;
}
