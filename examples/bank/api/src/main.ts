import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IssuerOptions } from '@stepup/core';
import { stepUpExpress } from '@stepup/express';
import { type Db, dbOrInMemory, type Readiness } from '@stepup-example/db';
import { type Logger, silentLogger } from '@stepup-example/observability';
import { migrate } from './db/migrate.js';
import { BankApiError } from './errors.js';
import { createBankApp } from './http/app.js';
import { customerOpener } from './http/context.js';
import { seedBank } from './ledger/bank.js';
import { bankPolicy } from './policy.js';
import { bankReadiness } from './readiness.js';

/** Options of {@link startBankApi}. */
export interface BankApiOptions {
  /** Port on 127.0.0.1; 0 picks a free one. Default 4001. */
  readonly port?: number;
  /** The database; default an in-memory PGlite. Migrated and seeded at start; `close()` leaves a given one open. */
  readonly db?: Db;
  /**
   * The authorization server whose access tokens are accepted. Default: issuer
   * `http://localhost:4000`, JWKS `http://localhost:4000/jwks`, audience `http://localhost:4001`, ES256.
   */
  readonly issuer?: IssuerOptions;
  /**
   * The API's public origin, as clients call it (`https://api.bank.example`): the `htu` of their DPoP
   * proofs is this origin and the request's path (RFC 9449 §4.3), never the `Host` header, which the
   * client writes. Default: the origin of the first audience (`http://localhost:4001` by default).
   */
  readonly publicOrigin?: string;
  /** Origins the browser may call from (CORS): `http(s)://host[:port]`, no `*`. Default `['http://localhost:5173']`. */
  readonly webOrigins?: readonly string[];
  /** Clock in epoch milliseconds; default `Date.now`. Used for tokens and for the ledger. */
  readonly now?: () => number;
  /** Used for the authorization server's JWKS; default the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Seconds of clock skew tolerated on `exp`, `iat` and `auth_time`; default 30. */
  readonly clockTolerance?: number;
  /** Largest JSON body, in bytes; default 16 KiB. */
  readonly bodyLimitBytes?: number;
  /** Where events go (`createLogger` of `@stepup-example/observability`); default silent. */
  readonly logger?: Logger;
  /**
   * The readiness checks (database, and the JWKS when `issuer.jwksUri` is set): timeout per check
   * (default 1000 ms), background interval (default 2000 ms; 0 checks only on request), and how long a
   * report is answered again without checking (default 500 ms).
   */
  readonly readiness?: {
    readonly timeoutMs?: number;
    readonly intervalMs?: number;
    readonly maxAgeMs?: number;
  };
}

/** A running bank API. */
export interface BankApi {
  /** Where it listens, e.g. `http://localhost:4001`. */
  readonly url: string;
  /** The audience its tokens must carry. */
  readonly audience: readonly string[];
  /** Stops listening and the readiness checks, and closes the database when the API opened it. */
  close(): Promise<void>;
}

/** The default issuer: the example authorization server on its fixed port. */
export const DEFAULT_ISSUER: IssuerOptions = {
  issuer: 'http://localhost:4000',
  jwksUri: 'http://localhost:4000/jwks',
  audience: 'http://localhost:4001',
  algorithms: ['ES256'],
};

// An origin as the browser sends it in `Origin`: scheme, host and port, nothing else.
function checkOrigins(origins: readonly string[]): readonly string[] {
  for (const origin of origins) {
    const parsed = URL.canParse(origin) ? new URL(origin) : undefined;
    if (parsed === undefined || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      throw new BankApiError(
        'ERR_CONFIG',
        `webOrigins: "${origin}" is not an origin (expected http(s)://host[:port], no path or trailing slash)`,
      );
    }
  }
  return origins;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * Starts the bank API: validates the options (bad ones throw before anything listens), migrates the
 * database, creates the bank's internal accounts on first start, and serves the routes. Once started it
 * rides out database outages: requests answer 503 while the database is away, readiness says so, and
 * the API serves again when it is back (see the README's "Faults").
 *
 * @throws BankApiError `ERR_CONFIG`; StepUpError `ERR_CONFIG_INVALID` for invalid issuer options.
 * @example
 * const api = await startBankApi({ port: 0, db: await openPglite('./.data/api') });
 * await api.close();
 */
export async function startBankApi(options: BankApiOptions = {}): Promise<BankApi> {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? silentLogger;
  const issuer = options.issuer ?? DEFAULT_ISSUER;
  const bodyLimitBytes = options.bodyLimitBytes ?? 16 * 1024;
  if (!Number.isInteger(bodyLimitBytes) || bodyLimitBytes < 1024) {
    throw new BankApiError('ERR_CONFIG', 'bodyLimitBytes must be an integer of at least 1024');
  }
  const webOrigins = checkOrigins(options.webOrigins ?? ['http://localhost:5173']);
  const audience = typeof issuer.audience === 'string' ? [issuer.audience] : [...issuer.audience];
  const resource = audience[0];
  if (resource === undefined) throw new BankApiError('ERR_CONFIG', 'issuer.audience: at least one is needed');
  const origin = options.publicOrigin ?? new URL(resource).origin;
  const { db, release } = await dbOrInMemory(options.db);
  let readiness: Readiness | undefined;
  try {
    // After the database: the transfer policy reads payees and accounts, and records approvals' use there.
    const stepUp = stepUpExpress({
      issuers: [issuer],
      ...bankPolicy({ db, now, logger, origin, resource }),
      realm: 'bank',
      now,
      exposeChallenge: true,
      // Denials go to the API's error handler, which gives every error the bank's one JSON shape.
      forwardDenials: true,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.clockTolerance === undefined ? {} : { clockTolerance: options.clockTolerance }),
      logger: { warn: (message, data) => logger.warn('stepup.warning', { message, data }) },
    });
    const migrated = await migrate(db);
    if (migrated.applied.length > 0 || migrated.adopted.length > 0) {
      logger.info('database.migrated', { ...migrated });
    }
    await seedBank(db, now());
    readiness = bankReadiness({
      db,
      jwksUri: issuer.jwksUri,
      fetch: options.fetch ?? fetch,
      logger,
      ...options.readiness,
    });
    const ctx = { db, stepUp, now, logger, readiness, ensureCustomer: customerOpener(db, now, logger) };
    const app = createBankApp(ctx, { webOrigins, bodyLimitBytes });
    // The app is complete before the port opens: the first request already gets a real answer.
    const server = createServer(app);
    const port = await listen(server, options.port ?? 4001);
    logger.info('server.started', { port, issuer: issuer.issuer });
    const watch = readiness;
    return {
      url: `http://localhost:${port}`,
      audience,
      async close() {
        watch.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await release();
      },
    };
  } catch (error) {
    readiness?.stop();
    await release();
    throw error;
  }
}
