export { type BorrowedDb, dbOrInMemory } from './borrow.js';
export type { Db, Queryable, QueryResult, TransactionScope } from './db.js';
export { DB_FAULT_CODES, DbError, type DbErrorCode, isDbError } from './errors.js';
export { type Migration, type MigrationReport, type Migrations, runMigrations } from './migrate.js';
export { readMigrations } from './migration-files.js';
export { type DatabaseInfo, type OpenDatabaseOptions, openDatabase } from './open.js';
export { openPglite } from './pglite.js';
export { openPostgres, type PostgresOptions } from './postgres.js';
export {
  type ChangeLogger,
  type DependencyChange,
  type DependencyCheck,
  type DependencyState,
  logDependencyChange,
  RETRY_AFTER_SECONDS,
  type Readiness,
  type ReadinessAnswer,
  type ReadinessOptions,
  type ReadinessReport,
  readinessAnswer,
  watchReadiness,
} from './readiness.js';
export { type RetryOptions, retryTransient } from './retry.js';
export { type WaitForDatabaseOptions, waitForDatabase } from './wait.js';
