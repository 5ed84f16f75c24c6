import type { Readiness } from '@stepup-example/db';
import express, { type ErrorRequestHandler } from 'express';
import { homePage, messagePage } from '../views/pages.js';
import { accountRoutes } from './account/routes.js';
import { assetRoutes } from './common/assets.js';
import { healthRoutes, isDbFault, RETRY_AFTER_SECONDS } from './common/health.js';
import { jsonBody, jsonErrors } from './common/json.js';
import { rateLimit } from './common/rate-limit.js';
import { logPath, requestLog } from './common/request-log.js';
import { noSniff, pageSecurity } from './common/security-headers.js';
import type { AppContext } from './context.js';
import { interactionRoutes } from './interaction/routes.js';

/** Options of {@link createApp}. */
export interface AppOptions {
  bodyLimitBytes: number;
  rateLimit: { max: number; windowSeconds: number };
  /** The database check behind `GET /health/ready`. */
  readiness: Readiness;
}

// Page (GET) failures render a page; the JSON routes answer JSON. A database fault is a 503 either way.
function errors(app: AppContext, readiness: Readiness): ErrorRequestHandler {
  const json = jsonErrors(app.logger);
  return (error, req, res, next) => {
    if (isDbFault(error)) readiness.suspect();
    if (req.method !== 'GET') {
      json(error, req, res, next);
      return;
    }
    const expired =
      typeof error === 'object' && error !== null && 'name' in error && error.name === 'SessionNotFound';
    app.logger.warn('page.failed', {
      path: logPath(req),
      error: String(error),
      cause: String(error?.cause ?? ''),
    });
    if (isDbFault(error)) {
      res
        .status(503)
        .set('Retry-After', String(RETRY_AFTER_SECONDS))
        .type('html')
        .send(
          messagePage({
            title: 'The bank is briefly unavailable',
            message: 'Please try again in a moment.',
          }),
        );
      return;
    }
    res
      .status(expired ? 400 : 500)
      .type('html')
      .send(
        messagePage(
          expired
            ? { title: 'This sign-in has expired', message: 'Please go back to the app and start again.' }
            : { title: 'Something went wrong', message: 'Please go back to the app and try again.' },
        ),
      );
  };
}

/**
 * The HTTP application: the bank's pages and JSON endpoints first (body parsers only there), then
 * `oidc-provider` for every protocol route (`/auth`, `/token`, `/jwks`, discovery, …).
 */
export async function createApp(app: AppContext, options: AppOptions): Promise<express.Express> {
  const guard = {
    json: jsonBody(options.bodyLimitBytes),
    limit: rateLimit({ ...options.rateLimit, db: app.db, logger: app.logger }),
  };
  const server = express();
  server.disable('x-powered-by');
  server.set('etag', false);
  server.use(requestLog(app.logger, app.now));
  server.use(noSniff);
  server.use(healthRoutes(options.readiness));
  server.use(await assetRoutes());
  const pages = pageSecurity();
  server.get('/', pages, (_req, res) => {
    res.type('html').send(homePage());
  });
  server.use(['/interaction', '/account'], pages);
  // The provider's sign-out page (our view): its form is confirmed at `/session/end/confirm`, which
  // redirects to the web app's `post_logout_redirect_uri`.
  server.use('/session/end', pageSecurity([new URL(app.webOrigin).origin]));
  server.use(interactionRoutes(app, guard));
  server.use(accountRoutes(app, guard));
  server.use(errors(app, options.readiness));
  server.use(app.provider.callback());
  return server;
}
