import type { Db } from './db.js';
import { openPglite } from './pglite.js';

/** A database and how to let go of it. */
export interface BorrowedDb {
  readonly db: Db;
  /** Closes the database when it was opened here; leaves a given one open for its owner. */
  release(): Promise<void>;
}

/**
 * The database a caller passed in (theirs to close), or a fresh in-memory PGlite (closed on
 * {@link BorrowedDb.release}): how an app's start function defaults its `db` option.
 *
 * @example
 * const { db, release } = await dbOrInMemory(options.db);
 */
export async function dbOrInMemory(given: Db | undefined): Promise<BorrowedDb> {
  if (given !== undefined) return { db: given, release: async () => {} };
  const db = await openPglite(undefined);
  return { db, release: () => db.close() };
}
