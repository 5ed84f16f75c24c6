import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { WebConfig } from '@stepup-example/contract';
import express from 'express';
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

function defaultAppDir(): string {
  // From `dist/server/index.js` the app is at `dist/app`; from the sources (tests) at `../dist/app`.
  const candidates = ['../app/', '../dist/app/'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  return candidates.find((dir) => existsSync(`${dir}index.html`)) ?? candidates[0]!;
}

function contentSecurityPolicy(config: WebConfig): string {
  const connect = new Set(["'self'", new URL(config.issuer).origin, new URL(config.apiUrl).origin]);
  return [
    "default-src 'self'",
    `connect-src ${[...connect].join(' ')}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function parseOptions(input: WebServerOptions): z.output<typeof Options> {
  const parsed = Options.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`);
  throw new WebServerError('ERR_CONFIG', `invalid web server options: ${issues.join('; ')}`);
}

/**
 * Serves the built web client and its `/config.json`. Every path that is not a file gets
 * `index.html` (the app routes itself, `/callback` included). Does not build the app: run
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
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(options.config));
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.get('/config.json', (_req, res) => {
    res.set('Cache-Control', 'no-store').json(options.config);
  });
  app.use(express.static(appDir, { index: false, maxAge: '1h' }));
  app.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    res.set('Cache-Control', 'no-store').sendFile(index);
  });
  const http: Server = createServer(app);
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
