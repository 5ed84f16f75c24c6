import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable, QueryResult } from './db.js';

type Runner = Pick<PGlite, 'query'>;

function wrap(runner: Runner): Queryable {
  return {
    async query(sql, params = []): Promise<QueryResult> {
      const result = await runner.query(sql, [...params]);
      return { rows: result.rows, count: result.affectedRows ?? result.rows.length };
    },
  };
}

/**
 * An embedded PostgreSQL (PGlite, WebAssembly) kept in `dataDir`, or in memory when `dataDir` is
 * `undefined`. Nothing to install; one connection, so transactions are serialized by PGlite itself.
 */
export async function openPglite(dataDir: string | undefined): Promise<Db> {
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  const pg = dataDir === undefined ? await PGlite.create() : await PGlite.create(dataDir);
  const base = wrap(pg);
  return {
    query: base.query,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    close: () => pg.close(),
  };
}
