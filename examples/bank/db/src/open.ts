import type { Db } from './db.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

/** Options of {@link openDatabase}: what an app's command line read from its environment. */
export interface OpenDatabaseOptions {
  /** PostgreSQL's connection string; PGlite in `dataDir` when `undefined`. */
  readonly databaseUrl: string | undefined;
  /** The PGlite data directory, created when missing. */
  readonly dataDir: string;
  /** The PostgreSQL schema; default `public`. */
  readonly schema?: string;
  /** The PostgreSQL pool size; default 10. */
  readonly max?: number;
  /** How long a PostgreSQL statement waits for a connection; default 2000 ms (see `openPostgres`). */
  readonly acquireTimeoutMs?: number;
}

/** Which database {@link openDatabase} opened, for the log. */
export type DatabaseInfo =
  | { readonly kind: 'postgresql'; readonly schema: string }
  | { readonly kind: 'pglite'; readonly dataDir: string };

/**
 * Opens PostgreSQL when a connection string is given, else PGlite in `dataDir`: the one choice each
 * app's command line makes. Reads no environment itself.
 * @throws DbError `ERR_CONFIG` for an invalid schema name; `ERR_DB_UNAVAILABLE` when PostgreSQL cannot be reached.
 *
 * @example
 * const { db, info } = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: './.data/api' });
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<{ db: Db; info: DatabaseInfo }> {
  const { databaseUrl, dataDir } = options;
  if (databaseUrl === undefined) return { db: await openPglite(dataDir), info: { kind: 'pglite', dataDir } };
  const schema = options.schema ?? 'public';
  const db = await openPostgres({
    connectionString: databaseUrl,
    schema,
    ...(options.max === undefined ? {} : { max: options.max }),
    ...(options.acquireTimeoutMs === undefined ? {} : { acquireTimeoutMs: options.acquireTimeoutMs }),
  });
  return { db, info: { kind: 'postgresql', schema } };
}
