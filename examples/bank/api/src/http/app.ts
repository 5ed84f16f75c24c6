import { readinessAnswer } from '@stepup-example/db';
import express from 'express';
import type { BankContext } from './context.js';
import { cors } from './cors.js';
import { errorHandler, notFound } from './errors.js';
import { bankRoutes } from './routes.js';

/** Options of {@link createBankApp} that only the HTTP layer reads. */
export interface BankAppOptions {
  /** Origins allowed by CORS (the web client). */
  readonly webOrigins: readonly string[];
  /** Largest JSON body accepted, in bytes. */
  readonly bodyLimitBytes: number;
  /** RFC 9728 protected resource metadata served at `/.well-known/oauth-protected-resource`. */
  readonly resourceMetadata: { readonly resource: string; readonly authorizationServers: readonly string[] };
}

/**
 * The bank API as an Express 5 application: CORS, the guarded routes, the health checks, the RFC 9728
 * metadata, then JSON errors for everything that fails (step-up denials included).
 * `GET /health/live` answers while the process serves HTTP (liveness); `GET /health/ready` (and
 * `GET /health`) answers from the database and the authorization server's keys (readiness).
 */
export function createBankApp(ctx: BankContext, options: BankAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.use(cors(options.webOrigins));
  app.get('/health/live', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  app.get(['/health', '/health/ready'], async (_req, res) => {
    const answer = readinessAnswer(await ctx.readiness.check());
    res.status(answer.status).set(answer.headers).json(answer.body);
  });
  app.get('/.well-known/oauth-protected-resource', (_req, res) => {
    res.json({
      resource: options.resourceMetadata.resource,
      authorization_servers: options.resourceMetadata.authorizationServers,
      scopes_supported: ['accounts:read', 'transfers:write', 'payees:write'],
      bearer_methods_supported: ['header'],
    });
  });
  const json = express.json({ limit: options.bodyLimitBytes, strict: true });
  app.use(bankRoutes(ctx, json));
  app.use(notFound);
  app.use(errorHandler(ctx.logger, () => ctx.readiness.suspect()));
  return app;
}
