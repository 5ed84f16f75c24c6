import pg from 'pg';
import { isConflict, isConnectionFailure } from './classify.js';
import type { Db, QueryResult, TransactionScope } from './db.js';
import { DbError, isDbError } from './errors.js';
import { acquire, type Lease } from './lease.js';

/** Options of {@link openPostgres}. */
export interface PostgresOptions {
  /** `postgres://user:password@host:port/database` */
  readonly connectionString: string;
  /** Schema to work in, created when missing; default `public`. Lower-case letters, digits, `_`. */
  readonly schema?: string;
  /** Pool size; default 10. */
  readonly max?: number;
  /**
   * How long a statement or transaction waits for a connection (a free pool slot, or the server
   * coming back) before failing with `ERR_DB_UNAVAILABLE`; default 2000 ms.
   */
  readonly acquireTimeoutMs?: number;
}

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;
const INT8 = 20;

function toResult(result: pg.QueryResult): QueryResult {
  return { rows: result.rows, count: result.rowCount ?? result.rows.length };
}

function wrap(client: pg.PoolClient): TransactionScope {
  return {
    async query(sql, params = []) {
      return toResult(await client.query(sql, [...params]));
    },
    // Without a values array pg sends a simple Query message, which may hold several statements.
    async exec(script) {
      await client.query(script);
    },
  };
}

const lostMessage = 'The database connection was lost.';

/** A lone statement: a broken connection leaves its outcome unknown (it may have run). */
async function runQuery(lease: Lease, sql: string, params: readonly unknown[]): Promise<QueryResult> {
  let destroy = false;
  try {
    return toResult(await lease.client.query(sql, [...params]));
  } catch (error) {
    if (lease.lost !== undefined || isConnectionFailure(error)) {
      destroy = true;
      throw new DbError('ERR_DB_OUTCOME_UNKNOWN', lostMessage, { cause: error });
    }
    if (isConflict(error))
      throw new DbError('ERR_DB_CONFLICT', 'The statement was aborted.', { cause: error });
    throw error;
  } finally {
    lease.release(destroy);
  }
}

/**
 * One transaction on one leased client. A connection that breaks before `COMMIT` is sent takes the
 * transaction with it (the server rolls back a session's open transaction): `ERR_DB_CONNECTION_LOST`.
 * One that breaks while `COMMIT` is in flight leaves the outcome unknown: `ERR_DB_OUTCOME_UNKNOWN`.
 */
async function runTransaction<T>(lease: Lease, fn: (tx: TransactionScope) => Promise<T>): Promise<T> {
  const { client } = lease;
  let committing = false;
  let destroy = false;
  try {
    await client.query('BEGIN');
    const result = await fn(wrap(client));
    // An 'error' already seen means COMMIT cannot be sent: the transaction is gone, not in doubt.
    if (lease.lost !== undefined) throw lease.lost;
    committing = true;
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (lease.lost !== undefined || isConnectionFailure(error)) {
      destroy = true;
      const code = committing ? 'ERR_DB_OUTCOME_UNKNOWN' : 'ERR_DB_CONNECTION_LOST';
      throw new DbError(code, lostMessage, { cause: error });
    }
    await client.query('ROLLBACK').catch(() => {
      destroy = true;
    });
    if (isConflict(error))
      throw new DbError('ERR_DB_CONFLICT', 'The transaction was aborted.', { cause: error });
    throw error;
  } finally {
    lease.release(destroy);
  }
}

/**
 * Runs `SELECT 1` within `timeoutMs` (waiting for a connection included).
 * @throws DbError `ERR_DB_UNAVAILABLE`.
 */
async function ping(pool: pg.Pool, timeoutMs: number): Promise<void> {
  const work = (async () => {
    const lease = await acquire(pool, 0);
    // pg's read timeout (client.js `query_timeout`, missing from @types/pg): the client is then destroyed.
    const probe: pg.QueryConfig & { query_timeout: number } = { text: 'SELECT 1', query_timeout: timeoutMs };
    let destroy = false;
    try {
      await lease.client.query(probe);
    } catch (error) {
      destroy = true;
      throw error;
    } finally {
      lease.release(destroy);
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([work, late]);
  } catch (error) {
    work.catch(() => {}); // still running after a timeout: its failure is already reported
    throw error instanceof DbError
      ? error
      : new DbError('ERR_DB_UNAVAILABLE', 'The database cannot be reached.', { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * PostgreSQL through a `pg` pool. Every connection works in `schema` (`search_path`), so several
 * instances or test runs can share one database without seeing each other's tables. The schema name
 * is checked against a strict pattern (it is interpolated into `search_path` and `CREATE SCHEMA`);
 * the connection string is handed to `pg` as it is.
 *
 * Faults: a lost connection never ends the process (every checked-out client is listened to); a
 * statement waits up to `acquireTimeoutMs` for a connection, trying again while the server refuses or
 * starts up; failures come out as {@link DbError} codes that say whether the work may have happened.
 * It retries nothing that was sent: that is the caller's decision (see `retryTransient`).
 * @throws DbError `ERR_CONFIG` for an invalid schema name; `ERR_DB_UNAVAILABLE` when the schema cannot be created.
 *
 * @example
 * const db = await openPostgres({ connectionString: process.env.DATABASE_URL!, schema: 'bank_api' });
 */
export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const schema = options.schema ?? 'public';
  if (!SCHEMA.test(schema)) throw new DbError('ERR_CONFIG', `invalid schema name "${schema}"`);
  const waitMs = options.acquireTimeoutMs ?? 2000;
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format),
  };
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    options: `-c search_path=${schema}`,
    types,
    connectionTimeoutMillis: waitMs,
    keepAlive: true,
  });
  // An idle client that loses its connection emits 'error' on the pool (the pool has already dropped
  // it); without a listener that would end the process. Readiness checks notice the outage.
  pool.on('error', () => {});
  const db: Db = {
    query: async (sql, params = []) => runQuery(await acquire(pool, waitMs), sql, params),
    transaction: async (fn) => runTransaction(await acquire(pool, waitMs), fn),
    ping: ({ timeoutMs }) => ping(pool, timeoutMs),
    close: () => pool.end(),
  };
  try {
    await db.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    await pool.end();
    if (isDbError(error, ['ERR_DB_UNAVAILABLE'])) throw error;
    throw isConnectionFailure(error) || isDbError(error)
      ? new DbError('ERR_DB_UNAVAILABLE', 'The database cannot be reached.', { cause: error })
      : error;
  }
  return db;
}
