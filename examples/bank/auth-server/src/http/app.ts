import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { homePage, messagePage } from '../views/pages.js';
import { accountRoutes } from './account/routes.js';
import type { AppContext } from './context.js';
import { interactionRoutes } from './interaction/routes.js';
import { assetRoutes } from './shared/assets.js';
import { jsonBody, jsonErrors } from './shared/json.js';
import { rateLimit } from './shared/rate-limit.js';

/** Options of {@link createApp}. */
export interface AppOptions {
  bodyLimitBytes: number;
  rateLimit: { max: number; windowSeconds: number };
}

const pageHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  );
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  next();
};

// Page (GET) failures render a page; the JSON routes answer JSON.
function errors(app: AppContext): ErrorRequestHandler {
  const json = jsonErrors(app.logger);
  return (error, req, res, next) => {
    if (req.method !== 'GET') {
      json(error, req, res, next);
      return;
    }
    const expired =
      typeof error === 'object' && error !== null && 'name' in error && error.name === 'SessionNotFound';
    app.logger.warn('page.failed', { path: req.path, error: String(error) });
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
    limit: rateLimit({ ...options.rateLimit, now: app.now, logger: app.logger }),
  };
  const server = express();
  server.disable('x-powered-by');
  server.set('etag', false);
  server.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  server.use(await assetRoutes());
  server.get('/', pageHeaders, (_req, res) => {
    res.type('html').send(homePage());
  });
  server.use(['/interaction', '/account'], pageHeaders);
  server.use(interactionRoutes(app, guard));
  server.use(accountRoutes(app, guard));
  server.use(errors(app));
  server.use(app.provider.callback());
  return server;
}
