import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClassificationPolicy, MetadataStore } from '@stepup/mds';
import {
  type Db,
  dbOrInMemory,
  logDependencyChange,
  type Readiness,
  watchReadiness,
} from '@stepup-example/db';
import { type Logger, silentLogger } from '@stepup-example/observability';
import type Provider from 'oidc-provider';
import { credentialSettings } from './accounts/credential-options.js';
import { type ReclassifiedCredential, reclassifier } from './accounts/reclassify.js';
import { migrate } from './db/migrate.js';
import { AuthServerError } from './errors.js';
import { createApp } from './http/app.js';
import { isDbFault, RETRY_AFTER_SECONDS, whileStarting } from './http/common/health.js';
import type { AppContext } from './http/context.js';
import { loadOrCreateOtpKey, loadOrCreateSecrets } from './oidc/keys.js';
import { createProvider } from './oidc/provider.js';
import { codeAttempts } from './otp/attempts.js';
import { secretBox } from './otp/secret-box.js';
import type { Classifier } from './webauthn/classifier.js';
import type { DemoTrust } from './webauthn/demo-trust.js';
import { mdsClassifier } from './webauthn/mds-classifier.js';

/** Options of {@link startAuthServer}. */
export interface AuthServerOptions {
  /** Port to listen on (on 127.0.0.1); 0 picks a free one. Default 4000. */
  port?: number;
  /** Issuer URL; default `http://localhost:<port>`. Keep it on `localhost`: cookies and the rpID are host-bound. */
  issuer?: string;
  /** The database; default an embedded PGlite in memory. The server migrates it; `close()` does not close it. */
  db?: Db;
  /** Clock in epoch milliseconds; default `Date.now`. (The rate limits' windows run on the real clock.) */
  now?: () => number;
  logger?: Logger;
  /** FIDO metadata (a started `@stepup/mds` store). Without it every authenticator is unattested: standard level. */
  metadata?: MetadataStore;
  /** Classification policy for `@stepup/mds` (certification level, allow/deny lists). */
  policy?: ClassificationPolicy;
  /** Replaces the `@stepup/mds` classification entirely (tests). */
  classifier?: Classifier;
  /** The bank API's resource identifier; default `http://localhost:4001`. */
  apiAudience?: string;
  /** Origin of the bank web app; default `http://localhost:5173`. */
  webOrigin?: string;
  /**
   * Sign-in attempts per client address and window; default 20 per 60 s. Counted in the database, so
   * every instance of the server on it shares the limit (as it shares the wrong-code limit).
   */
  rateLimit?: { max: number; windowSeconds: number };
  /** How long a WebAuthn challenge can be answered; default 300 s. */
  challengeTtlSeconds?: number;
  /** How recent a sign-in the security settings need; default 300 s. */
  recentSignInSeconds?: number;
  /** Largest JSON body accepted; default 64 KiB. */
  bodyLimitBytes?: number;
  /** Access token lifetime; default 600 s. */
  accessTokenTtlSeconds?: number;
  /**
   * The database readiness check behind `GET /health/ready`: timeout (default 1000 ms), background
   * interval (default 2000 ms; 0 checks only on request), reuse of a recent report (default 500 ms).
   */
  readiness?: { timeoutMs?: number; intervalMs?: number; maxAgeMs?: number };
  /**
   * How long a key added from a session below the high level (an account's first security key) waits
   * before it can be used at the high level; default 24 hours. Must be positive.
   */
  keyCoolingOffSeconds?: number;
  /**
   * Demo trust: `'chrome-virtual-authenticator'` rates the virtual security key of Chrome's DevTools
   * as a certified one (see the README). For demonstrations only; every page says so.
   */
  demoTrust?: DemoTrust;
}

/** A running authorization server. */
export interface AuthServer {
  /** Where it listens, e.g. `http://localhost:4000`; equals the issuer unless one was given. */
  url: string;
  issuer: string;
  /**
   * Re-classifies every stored credential against the metadata in force (the store's current BLOB and
   * the demo trust statements); done once at start, call it again when the store adopts a newer BLOB
   * (its `onRefresh` with outcome `updated`). Runs one at a time. With a custom `classifier`: nothing.
   */
  reclassify(): Promise<ReclassifiedCredential[]>;
  /** Stops listening and the readiness checks, and closes the database when the server opened it. */
  close(): Promise<void>;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new AuthServerError('ERR_CONFIG', `${name} must be a positive number`);
  }
  return value;
}

/** Options checked and defaulted: everything that can be wrong fails here, before listening. */
function settings(options: AuthServerOptions) {
  if (options.issuer !== undefined && new URL(options.issuer).hostname !== 'localhost') {
    throw new AuthServerError(
      'ERR_CONFIG',
      'the issuer must be on localhost (cookies and the WebAuthn rpID are host-bound)',
    );
  }
  const rateLimit = options.rateLimit ?? { max: 20, windowSeconds: 60 };
  if (!Number.isInteger(rateLimit.max))
    throw new AuthServerError('ERR_CONFIG', 'rateLimit.max must be an integer');
  positive('rateLimit.max', rateLimit.max);
  positive('rateLimit.windowSeconds', rateLimit.windowSeconds);
  return {
    now: options.now ?? Date.now,
    logger: options.logger ?? silentLogger,
    challengeTtlMs: positive('challengeTtlSeconds', options.challengeTtlSeconds ?? 300) * 1000,
    recentSignInMs: positive('recentSignInSeconds', options.recentSignInSeconds ?? 300) * 1000,
    bodyLimitBytes: positive('bodyLimitBytes', options.bodyLimitBytes ?? 64 * 1024),
    accessTokenTtl: positive('accessTokenTtlSeconds', options.accessTokenTtlSeconds ?? 600),
    apiAudience: options.apiAudience ?? 'http://localhost:4001',
    webOrigin: options.webOrigin ?? 'http://localhost:5173',
    rateLimit,
  };
}

/**
 * The provider renders every error a route throws as `server_error` 500 (its `error_handler.js`) and
 * then emits `server_error`, synchronously, before Koa answers: a database fault becomes a 503 there.
 */
function unavailableOnDbFaults(provider: Provider, readiness: Readiness): void {
  provider.on('server_error', (ctx, error) => {
    if (!isDbFault(error)) return;
    readiness.suspect();
    ctx.status = 503;
    ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
    if (typeof ctx.body === 'object' && ctx.body !== null) {
      ctx.body = {
        error: 'temporarily_unavailable',
        error_description: 'The service is briefly unavailable; please try again in a moment.',
      };
    }
  });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * Starts the bank's authorization server: migrates the database, loads (or creates) the signing
 * keys, configures `oidc-provider` and serves the sign-in pages. Bad options throw before anything
 * listens.
 *
 * @example
 * const as = await startAuthServer({ port: 0 });
 * const discovery = await fetch(`${as.url}/.well-known/openid-configuration`);
 * await as.close();
 */
export async function startAuthServer(options: AuthServerOptions = {}): Promise<AuthServer> {
  const config = settings(options);
  const credentials = credentialSettings(options);
  const { now, logger } = config;
  const { metadata, policy } = options;
  const { db, release } = await dbOrInMemory(options.db);
  // It listens before the app exists: the provider is built with its issuer, by default
  // `http://localhost:<port>`, and with `port: 0` the port is known only once listening. Until the app is
  // attached every request gets a 503 (`whileStarting`).
  let handler: RequestListener = whileStarting;
  const http = createServer((req, res) => handler(req, res));
  let readiness: Readiness | undefined;
  try {
    const migrated = await migrate(db);
    if (migrated.applied.length > 0 || migrated.adopted.length > 0) {
      logger.info('database.migrated', { ...migrated });
    }
    const secrets = await loadOrCreateSecrets(db, now);
    const box = secretBox(await loadOrCreateOtpKey(db, now));
    const port = await listen(http, options.port ?? 4000);
    const issuer = options.issuer ?? `http://localhost:${port}`;
    readiness = watchReadiness({
      checks: [{ name: 'database', check: (timeoutMs) => db.ping({ timeoutMs }) }],
      onChange: logDependencyChange(logger),
      ...options.readiness,
    });
    const provider = createProvider({ ...config, issuer, db, secrets });
    unavailableOnDbFaults(provider, readiness);
    const { localStatements } = credentials;
    const context: AppContext = {
      ...config,
      ...credentials,
      provider,
      db,
      rp: { id: new URL(issuer).hostname, name: 'Stepup Bank', origin: new URL(issuer).origin },
      secretBox: box,
      codeAttempts: codeAttempts(db),
      classifier: options.classifier ?? mdsClassifier({ store: metadata, policy, localStatements, now }),
    };
    const reclassify = options.classifier
      ? async () => []
      : reclassifier({ db, store: metadata, policy, localStatements, now, logger });
    handler = await createApp(context, { ...config, readiness });
    logger.info('server.started', { issuer, port });
    if (credentials.demoTrust)
      logger.warn('demo.trust', {
        mode: credentials.demoTrust,
        message: "demo trust: Chrome's virtual security key counts as a certified security key (high level)",
      });
    await reclassify();
    if (!metadata && !options.classifier) {
      logger.warn('metadata.none', {
        message: credentials.demoTrust
          ? 'no FIDO metadata: only the demo trust statement rates authenticators'
          : 'no FIDO metadata: every authenticator is unattested (standard level)',
      });
    }
    const watch = readiness;
    return {
      url: `http://localhost:${port}`,
      issuer,
      reclassify,
      async close() {
        watch.stop();
        await new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeAllConnections();
        });
        await release();
      },
    };
  } catch (error) {
    readiness?.stop();
    http.close();
    await release();
    throw error;
  }
}
