import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isConflict, isConnectionFailure } from './classify.js';
import type { Db, TransactionScope } from './db.js';
import { DbError, isDbError } from './errors.js';

/** One migration: version N is the N-th, run whole (never split on `;`) in a transaction of its own. */
export interface Migration {
  /** 1, 2, 3, …: the list has every version from 1 up, in order. */
  readonly version: number;
  /** For messages and the `schema_migrations` table: the file name without `.sql` (`0001_ledger`). */
  readonly name: string;
  /** The script, any number of statements; its checksum is recorded and checked at every start. */
  readonly sql: string;
}

/** What {@link runMigrations} applies. */
export interface Migrations {
  /** Append only: a released migration is never edited (its checksum would no longer match). */
  readonly migrations: readonly Migration[];
  /** The advisory lock taken while migrating; one per app, so two apps never wait on each other. */
  readonly lockId: number;
}

/** What {@link runMigrations} did, for the log. */
export interface MigrationReport {
  /** Names of the migrations applied by this run, in order. */
  readonly applied: readonly string[];
  /**
   * Names of migrations applied by the earlier runner (no checksum recorded) whose checksum this run
   * recorded from the current file: from now on they are checked like the others.
   */
  readonly adopted: readonly string[];
}

type Planned = Migration & { readonly checksum: string };

const Applied = z.object({
  version: z.coerce.number().int(),
  name: z.string().nullable(),
  checksum: z.string().nullable(),
});

/** SHA-256 of the script with its line endings made `\n`, so a checkout's line endings do not matter. */
function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n?/g, '\n'), 'utf8').digest('hex');
}

function plan(input: Migrations): readonly Planned[] {
  if (!Number.isSafeInteger(input.lockId)) {
    throw new DbError('ERR_CONFIG', `lockId must be an integer, got ${String(input.lockId)}`);
  }
  return input.migrations.map((migration, index) => {
    if (migration.version !== index + 1) {
      throw new DbError(
        'ERR_CONFIG',
        `migration ${migration.name} has version ${migration.version}; expected ${index + 1} (versions run 1, 2, 3, … without gaps)`,
      );
    }
    if (migration.name === '' || migration.sql.trim() === '') {
      throw new DbError('ERR_CONFIG', `migration ${migration.version} needs a name and some SQL`);
    }
    return { ...migration, checksum: checksumOf(migration.sql) };
  });
}

// `schema_migrations` as the earlier runner made it had only `version`; the columns are added once.
async function prepare(tx: TransactionScope): Promise<void> {
  await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text,
    checksum text,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const { rows } = await tx.query(
    `SELECT 1 FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'schema_migrations' AND column_name = 'checksum'`,
  );
  if (rows.length === 0) {
    await tx.exec(`ALTER TABLE schema_migrations
      ADD COLUMN name text,
      ADD COLUMN checksum text,
      ADD COLUMN applied_at timestamptz NOT NULL DEFAULT now()`);
  }
}

/**
 * Checks what is applied against the plan and records the checksums the earlier runner did not keep.
 * Returns how many are applied (always the first ones) and which were adopted.
 */
async function verify(tx: TransactionScope, planned: readonly Planned[]) {
  const { rows } = await tx.query('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
  const applied = z.array(Applied).parse(rows);
  const adopted: Planned[] = [];
  for (const [index, row] of applied.entries()) {
    const migration = planned[index];
    if (migration === undefined || row.version !== migration.version) {
      throw new DbError(
        'ERR_MIGRATION_UNKNOWN',
        `the database has migration ${row.version} (${row.name ?? 'unnamed'}) applied, which this code does not have in that place`,
      );
    }
    if (row.checksum === null) {
      await tx.query('UPDATE schema_migrations SET name = $2, checksum = $3 WHERE version = $1', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      adopted.push(migration);
    } else if (row.checksum !== migration.checksum) {
      throw new DbError(
        'ERR_MIGRATION_CHANGED',
        `migration ${migration.name} was changed after it was applied (checksum ${migration.checksum.slice(0, 12)}…, applied ${row.checksum.slice(0, 12)}…): add a new migration instead`,
      );
    }
  }
  return { count: applied.length, adopted };
}

/** One transaction under the lock: check everything applied, then apply the next migration, if any. */
async function step(tx: TransactionScope, planned: readonly Planned[], lockId: number) {
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockId]);
  await prepare(tx);
  const { count, adopted } = await verify(tx, planned);
  const next = planned[count];
  if (next === undefined) return { adopted, applied: undefined };
  try {
    await tx.exec(next.sql);
  } catch (error) {
    // A fault of the connection stays one (the transaction classifies it); an SQL error is the migration's.
    if (isDbError(error) || isConnectionFailure(error) || isConflict(error)) throw error;
    throw new DbError('ERR_MIGRATION_FAILED', `migration ${next.name} failed`, { cause: error });
  }
  await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
    next.version,
    next.name,
    next.checksum,
  ]);
  return { adopted, applied: next };
}

/**
 * Brings the schema up to date. Each migration runs whole (a script, not split on `;`) in a
 * transaction of its own, together with its row in `schema_migrations` (version, name, SHA-256
 * checksum): a failing migration leaves nothing behind, the ones before it stay applied. Every
 * transaction first takes the app's advisory lock and checks every applied migration against the
 * code: one that was edited since (`ERR_MIGRATION_CHANGED`) or that the code does not have
 * (`ERR_MIGRATION_UNKNOWN`) stops the start before anything runs. Two instances starting at once
 * apply each migration once: the second waits on the lock, then finds it applied.
 *
 * Written here rather than taken from a migration tool, because none does all of this on both `pg`
 * and PGlite: postgrator checks checksums but runs a migration and its record outside any
 * transaction and takes no lock; node-pg-migrate locks and wraps transactions but keeps no checksums
 * and needs a `pg` client; umzug orders and records, nothing more.
 *
 * Does not: run migrations down, or run a migration that cannot run in a transaction
 * (`CREATE INDEX CONCURRENTLY`).
 * @throws DbError `ERR_CONFIG`, `ERR_MIGRATION_CHANGED`, `ERR_MIGRATION_UNKNOWN`, `ERR_MIGRATION_FAILED`
 * (the SQL error in `cause`), or a database fault.
 *
 * @example
 * const report = await runMigrations(db, {
 *   migrations: await readMigrations(new URL('../../migrations/', import.meta.url)),
 *   lockId: 727275,
 * });
 */
export async function runMigrations(db: Db, input: Migrations): Promise<MigrationReport> {
  const planned = plan(input);
  const applied: string[] = [];
  const adopted: string[] = [];
  // One migration per transaction; at most every migration plus the run that finds nothing to do.
  for (let round = 0; round <= planned.length; round++) {
    const result = await db.transaction((tx) => step(tx, planned, input.lockId));
    adopted.push(...result.adopted.map((m) => m.name));
    if (result.applied === undefined) return { applied, adopted };
    applied.push(result.applied.name);
  }
  throw new DbError('ERR_MIGRATION_UNKNOWN', 'the migrations did not settle (applied by another process?)');
}
