import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable, QueryResult } from './db.js';

function wrap(runner: Pick<PGlite, 'query'>): Queryable {
  return {
    async query(sql, params = []): Promise<QueryResult> {
      const result = await runner.query(sql, [...params]);
      return { rows: result.rows, count: result.affectedRows ?? result.rows.length };
    },
  };
}

/**
 * The embedded PostgreSQL (PGlite, WebAssembly), kept in `dataDir`, or in memory when it is
 * `undefined`. Nothing to install. One connection: PGlite runs transactions one at a time, so row
 * locks are never contended here; PostgreSQL is where they matter.
 *
 * @example
 * const db = await openPglite('./.data/api'); // or openPglite(undefined): in memory
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
