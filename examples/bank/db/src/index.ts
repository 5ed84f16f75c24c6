export { type BorrowedDb, dbOrInMemory } from './borrow.js';
export type { Db, Queryable, QueryResult } from './db.js';
export { DB_FAULT_CODES, DbError, type DbErrorCode, isDbError } from './errors.js';
export { type Migrations, runMigrations } from './migrate.js';
export { type DatabaseInfo, type OpenDatabaseOptions, openDatabase } from './open.js';
export { openPglite } from './pglite.js';
export { openPostgres, type PostgresOptions } from './postgres.js';
export {
  type DependencyChange,
  type DependencyCheck,
  type DependencyState,
  type Readiness,
  type ReadinessOptions,
  type ReadinessReport,
  watchReadiness,
} from './readiness.js';
export { type RetryOptions, retryTransient } from './retry.js';
export { type WaitForDatabaseOptions, waitForDatabase } from './wait.js';
