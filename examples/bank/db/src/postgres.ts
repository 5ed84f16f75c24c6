import pg from 'pg';
import type { Db, Queryable, QueryResult } from './db.js';
import { DbError } from './errors.js';

/** Options of {@link openPostgres}. */
export interface PostgresOptions {
  /** `postgres://user:password@host:port/database` */
  readonly connectionString: string;
  /** Schema to work in, created when missing; default `public`. Lower-case letters, digits, `_`. */
  readonly schema?: string;
  /** Pool size; default 10. */
  readonly max?: number;
}

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;
const INT8 = 20;

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query(sql, params = []): Promise<QueryResult> {
      const result = await client.query(sql, [...params]);
      return { rows: result.rows, count: result.rowCount ?? result.rows.length };
    },
  };
}

/**
 * PostgreSQL through a `pg` pool. Every connection works in `schema` (`search_path`), so several
 * instances or test runs can share one database without seeing each other's tables. The schema name
 * is checked against a strict pattern (it is interpolated into `search_path` and `CREATE SCHEMA`);
 * the connection string is handed to `pg` as it is.
 * @throws DbError `ERR_CONFIG` for an invalid schema name.
 *
 * @example
 * const db = await openPostgres({ connectionString: process.env.DATABASE_URL!, schema: 'bank_api' });
 */
export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const schema = options.schema ?? 'public';
  if (!SCHEMA.test(schema)) throw new DbError('ERR_CONFIG', `invalid schema name "${schema}"`);
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format),
  };
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    options: `-c search_path=${schema}`,
    types,
  });
  // An idle client that loses its connection emits 'error'; without a listener that kills the process.
  pool.on('error', () => {});
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const base = wrap(pool);
  return {
    query: base.query,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
