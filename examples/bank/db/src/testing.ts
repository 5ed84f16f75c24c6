// A database per test suite: PGlite always, PostgreSQL too when a connection string is given (each
// opening in a schema of its own, dropped afterwards, so runs and suites never see each other).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from './db.js';
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
