import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';

/** What the browser app reads from `/config.json` at start-up. */
export interface WebConfig {
  /** The authorization server's issuer, e.g. `http://localhost:4000`. */
  readonly issuer: string;
  /** The public OAuth client, `bank-web`. */
  readonly clientId: string;
  /** The bank API's base URL, e.g. `http://localhost:4001`. */
  readonly apiUrl: string;
  /** The API's resource indicator (RFC 8707): the audience of its access tokens. */
  readonly apiResource: string;
  /** Scopes the app asks for. */
  readonly scope: string;
}

/** Options of {@link serveWeb}. */
export interface WebServerOptions {
  /** Port on 127.0.0.1; 0 picks a free one. Default 5173. */
  readonly port?: number;
  /** The built app (`vite build` output); default this package's `dist/app`. */
  readonly appDir?: string;
  readonly config: WebConfig;
}

/** A running web server. */
export interface WebServer {
  /** e.g. `http://localhost:5173`; the redirect URI is `${url}/callback`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Defaults for the example bank on its fixed localhost ports. */
export const DEFAULT_WEB_CONFIG: WebConfig = {
  issuer: 'http://localhost:4000',
  clientId: 'bank-web',
  apiUrl: 'http://localhost:4001',
  apiResource: 'http://localhost:4001',
  scope: 'openid profile offline_access accounts:read transfers:write payees:write',
};

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

/**
 * Serves the built web client and its `/config.json`. Every path that is not a file gets
 * `index.html` (the app routes itself, `/callback` included). Does not build the app: run
 * `npm run build -w @stepup-example/web` first.
 * @throws Error when `appDir` holds no `index.html`.
 */
export async function serveWeb(options: WebServerOptions): Promise<WebServer> {
  const appDir = options.appDir ?? defaultAppDir();
  const index = `${appDir.replace(/\/?$/, '/')}index.html`;
  if (!existsSync(index)) throw new Error(`no built web app at ${appDir}: run npm run build first`);
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
