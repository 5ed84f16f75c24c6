export { type BorrowedDb, dbOrInMemory } from './borrow.js';
export type { Db, Queryable, QueryResult } from './db.js';
export { DbError, type DbErrorCode } from './errors.js';
export { type Migrations, runMigrations } from './migrate.js';
export { type DatabaseInfo, type OpenDatabaseOptions, openDatabase } from './open.js';
export { openPglite } from './pglite.js';
export { openPostgres, type PostgresOptions } from './postgres.js';
