import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { WebConfig } from '@stepup-example/contract';
import express from 'express';
import helmet from 'helmet';
import { z } from 'zod';
import { WebServerError } from './errors.js';

export { DEFAULT_WEB_CONFIG } from './defaults.js';
export { WebServerError, type WebServerErrorCode } from './errors.js';
export type { WebConfig };

const Options = z.strictObject({
  /** Port on 127.0.0.1; 0 picks a free one. Default 5173. */
  port: z.number().int().min(0).max(65535).optional(),
  /** The built app (`vite build` output); default this package's `dist/app`. */
  appDir: z.string().min(1).optional(),
  /** What the app reads from `/config.json`: the contract's schema. */
  config: WebConfig,
});
/** Options of {@link serveWeb}. */
export type WebServerOptions = z.input<typeof Options>;

/** A running web server. */
export interface WebServer {
  /** e.g. `http://localhost:5173`; the redirect URI is `${url}/callback`. */
  readonly url: string;
  close(): Promise<void>;
}

// This package's own `dist/app` (what `vite build` writes, vite.config.ts), found from its package.json
// whether this module runs from `server/` (tests) or `dist/server/`.
function defaultAppDir(): string {
  return join(
    dirname(createRequire(import.meta.url).resolve('@stepup-example/web/package.json')),
    'dist',
    'app',
  );
}

/**
 * helmet's security headers, with a content security policy that lets the page load only its own
 * files and talk only to itself, the issuer and the API (no `upgrade-insecure-requests`: the bank
 * runs on plain http://localhost).
 */
function securityHeaders(config: WebConfig): express.RequestHandler {
  const connect = [...new Set(["'self'", new URL(config.issuer).origin, new URL(config.apiUrl).origin])];
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        connectSrc: connect,
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
  });
}

function parseOptions(input: WebServerOptions): z.output<typeof Options> {
  const parsed = Options.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`);
  throw new WebServerError('ERR_CONFIG', `invalid web server options: ${issues.join('; ')}`);
}

/**
 * Serves the built web client (`express.static`) and its `/config.json`, with helmet's security
 * headers. Every path that is not a file gets `index.html` (the app routes itself, `/callback`
 * included). `GET /health/live` and `GET /health/ready` answer `{"status":"ok"}` / `{"status":"ready"}`
 * (static files: serving is being ready). Does not build the app: run
 * `npm run build -w @stepup-example/web` first.
 * @throws WebServerError `ERR_CONFIG` for bad options (naming the field), `ERR_APP_MISSING` when
 * `appDir` holds no `index.html`.
 */
export async function serveWeb(input: WebServerOptions): Promise<WebServer> {
  const options = parseOptions(input);
  const appDir = options.appDir ?? defaultAppDir();
  const index = `${appDir.replace(/\/?$/, '/')}index.html`;
  if (!existsSync(index)) {
    throw new WebServerError('ERR_APP_MISSING', `no built web app at ${appDir}: run npm run build first`);
  }
  const app = express();
  app.use(securityHeaders(options.config));
  app.get('/health/live', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  app.get('/health/ready', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ready' });
  });
  app.get('/config.json', (_req, res) => {
    res.set('Cache-Control', 'no-store').json(options.config);
  });
  app.use(express.static(appDir, { index: false, maxAge: '1h' }));
  app.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    res.set('Cache-Control', 'no-store').sendFile(index);
  });
  // The app is complete before the port opens: the first request already gets a real answer.
  const http = createServer(app);
  const port = await new Promise<number>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 5173, '127.0.0.1', () => resolve((http.address() as AddressInfo).port));
  });
  return {
    url: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
