import { z } from 'zod';
import type { Db } from './db.js';

/** What {@link runMigrations} applies. */
export interface Migrations {
  /**
   * The migrations in order, append only (a released one is never edited); version N is entry N-1.
   * Each is split on `;` into statements, so a migration holds no `;` inside a statement.
   */
  readonly steps: readonly string[];
  /** The advisory lock taken while migrating; one per app, so two apps never wait on each other. */
  readonly lockId: number;
}

const Version = z.object({ version: z.coerce.number() });

/**
 * Brings the schema up to date. Safe to run from several processes at once: the migrations run in
 * one transaction under an advisory lock, and each applied version is recorded in `schema_migrations`.
 * It does not check that applied migrations still read as they did (append only is a convention).
 *
 * @example
 * await runMigrations(db, { steps: ['CREATE TABLE t (id text PRIMARY KEY)'], lockId: 727275 });
 */
export async function runMigrations(db: Db, migrations: Migrations): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [migrations.lockId]);
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY)');
    const { rows } = await tx.query('SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations');
    const current = Version.parse(rows[0]).version;
    for (const [index, sql] of migrations.steps.entries()) {
      const version = index + 1;
      if (version <= current) continue;
      for (const statement of sql.split(';').map((s) => s.trim())) {
        if (statement !== '') await tx.query(statement);
      }
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
    }
  });
}
