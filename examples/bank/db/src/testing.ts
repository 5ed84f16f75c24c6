// Test helpers. A database per test suite: PGlite always, PostgreSQL too when a connection string is
// given (each opening in a schema of its own, dropped afterwards, so runs and suites never see each
// other); and a database with faults on demand.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from './db.js';
import { DbError, type DbErrorCode } from './errors.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

/** A database a suite runs against, and how to get rid of it. */
export interface TestDatabase {
  /** For test titles (`describe.each(databases)('… on $name', …)`). */
  readonly name: 'PGlite' | 'PostgreSQL';
  /** A fresh, empty database; `drop()` closes it and, on PostgreSQL, drops its schema. */
  open(): Promise<{ db: Db; drop(): Promise<void> }>;
}

/** Options of {@link testDatabases}. */
export interface TestDatabasesOptions {
  /** PostgreSQL's connection string (the caller reads `DATABASE_URL`); PGlite only when `undefined`. */
  readonly databaseUrl: string | undefined;
  /** The start of each schema name, followed by 12 random hex digits. */
  readonly schemaPrefix: string;
  /** The PostgreSQL pool size of each opened database. */
  readonly max: number;
}

const pglite: TestDatabase = {
  name: 'PGlite',
  async open() {
    const db = await openPglite(undefined);
    return { db, drop: () => db.close() };
  },
};

function postgres(options: TestDatabasesOptions & { databaseUrl: string }): TestDatabase {
  const connectionString = options.databaseUrl;
  return {
    name: 'PostgreSQL',
    async open() {
      const schema = `${options.schemaPrefix}${randomBytes(6).toString('hex')}`;
      const db = await openPostgres({ connectionString, schema, max: options.max });
      return {
        db,
        async drop() {
          await db.close();
          // A connection of its own: the pool is gone, and a broken pool must not leave the schema behind.
          const admin = new pg.Client({ connectionString });
          await admin.connect();
          try {
            await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          } finally {
            await admin.end();
          }
        },
      };
    },
  };
}

/**
 * The databases a suite runs against: PGlite always, PostgreSQL too when `databaseUrl` is set (CI
 * sets `DATABASE_URL`). Meant for tests only: it creates and drops schemas.
 *
 * @example
 * const databases = testDatabases({ databaseUrl: process.env.DATABASE_URL, schemaPrefix: 'as_test_', max: 3 });
 * describe.each(databases)('the store on $name', (database) => { … });
 */
export function testDatabases(options: TestDatabasesOptions): readonly TestDatabase[] {
  const { databaseUrl } = options;
  return databaseUrl === undefined || databaseUrl === ''
    ? [pglite]
    : [pglite, postgres({ ...options, databaseUrl })];
}

/** The switches of a database made by {@link withFaults}. */
export interface DbFaults {
  /** While `true`, every statement, transaction and ping fails with `ERR_DB_UNAVAILABLE`. */
  down: boolean;
  /**
   * The next transactions fail with these codes, one each, before running; `'after-commit'` runs and
   * commits the transaction, then fails with `ERR_DB_OUTCOME_UNKNOWN` (a connection lost during COMMIT).
   */
  readonly next: (DbErrorCode | 'after-commit')[];
  /** Transactions started so far (retries show here). */
  transactions: number;
}

/**
 * `inner` with faults on demand, raised as the PostgreSQL layer raises them for a real outage (its
 * connection-loss suite cuts real connections): for tests of how an app answers them, exactly.
 *
 * @example
 * const { db, faults } = withFaults(await openPglite(undefined));
 * faults.down = true; // GET /health/ready now answers 503
 */
export function withFaults(inner: Db): { db: Db; faults: DbFaults } {
  const faults: DbFaults = { down: false, next: [], transactions: 0 };
  const unavailable = () => new DbError('ERR_DB_UNAVAILABLE', 'The database cannot be reached.');
  const db: Db = {
    async query(sql, params) {
      if (faults.down) throw unavailable();
      return inner.query(sql, params);
    },
    async transaction(fn) {
      faults.transactions++;
      if (faults.down) throw unavailable();
      const fault = faults.next.shift();
      if (fault === 'after-commit') {
        await inner.transaction(fn);
        throw new DbError('ERR_DB_OUTCOME_UNKNOWN', 'The database connection was lost.');
      }
      if (fault !== undefined) throw new DbError(fault, 'The database failed.');
      return inner.transaction(fn);
    },
    async ping(options) {
      if (faults.down) throw unavailable();
      return inner.ping(options);
    },
    close: () => inner.close(),
  };
  return { db, faults };
}
