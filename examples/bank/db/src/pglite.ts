import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable, QueryResult, TransactionScope } from './db.js';

function wrap(runner: Pick<PGlite, 'query'>): Queryable {
  return {
    async query(sql, params = []): Promise<QueryResult> {
      const result = await runner.query(sql, [...params]);
      // PGlite reports `affectedRows: 0` for a SELECT; `count` is then the rows returned, as `pg`'s rowCount.
      return { rows: result.rows, count: result.affectedRows || result.rows.length };
    },
  };
}

/**
 * The embedded PostgreSQL (PGlite, WebAssembly), kept in `dataDir`, or in memory when it is
 * `undefined`. Nothing to install. One connection: PGlite runs transactions one at a time, so row
 * locks are never contended here; PostgreSQL is where they matter.
 *
 * Durability (read from PGlite 0.5's source): on disk it uses Emscripten's NODEFS, whose writes are
 * `fs.writeSync` calls on the real files, so a query's WAL is in the operating system before its promise
 * resolves. `relaxedDurability: false` (the default, set here explicitly) keeps it that way: with `true`
 * PGlite answers before its file system sync, which for the memory-backed file systems (IndexedDB, OPFS)
 * means after the answer; NODEFS's sync is a no-op either way. An acknowledged commit therefore survives
 * the process being killed (SIGKILL) — the fault suite checks it. It does not survive the machine losing
 * power: PGlite starts PostgreSQL with `-F` (fsync off) and NODEFS has no `fsync` at all. Use PostgreSQL
 * (`DATABASE_URL`) where that matters.
 *
 * @example
 * const db = await openPglite('./.data/api'); // or openPglite(undefined): in memory
 */
export async function openPglite(dataDir: string | undefined): Promise<Db> {
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  const options = { relaxedDurability: false };
  const pg = dataDir === undefined ? await PGlite.create(options) : await PGlite.create(dataDir, options);
  const base = wrap(pg);
  return {
    query: base.query,
    transaction: (fn) =>
      pg.transaction((tx) => {
        const scope: TransactionScope = {
          ...wrap(tx),
          exec: async (script) => {
            await tx.exec(script);
          },
        };
        return fn(scope);
      }),
    // In the same process: it answers unless it was closed; no timeout is needed.
    ping: async () => {
      await pg.query('SELECT 1');
    },
    close: () => pg.close(),
  };
}
