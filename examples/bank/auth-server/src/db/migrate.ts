import { type Db, type MigrationReport, readMigrations, runMigrations } from '@stepup-example/db';

// `migrations/` beside `src/` and `dist/`: the same two levels up from this file in both.
const MIGRATIONS = new URL('../../migrations/', import.meta.url);

/**
 * Brings the authorization server's schema up to date with the files of `migrations/`
 * ({@link runMigrations}: each file whole in its own transaction, checksums checked, under the server's
 * advisory lock). Timestamps in the schema are epoch milliseconds (`bigint`).
 * @throws DbError `ERR_MIGRATION_CHANGED`, `ERR_MIGRATION_UNKNOWN`, `ERR_MIGRATION_FAILED`, or a fault.
 */
export async function migrate(db: Db): Promise<MigrationReport> {
  return runMigrations(db, { migrations: await readMigrations(MIGRATIONS), lockId: 727274 });
}
