import { randomBytes } from 'node:crypto';
import { type Db, openPglite, openPostgres } from '@stepup-example/api';
import pg from 'pg';

/** A database a suite runs against, and how to get rid of it. */
export interface TestDatabase {
  readonly kind: 'pglite' | 'postgresql';
  open(): Promise<{ db: Db; drop(): Promise<void> }>;
}

const pglite: TestDatabase = {
  kind: 'pglite',
  async open() {
    const db = await openPglite(undefined);
    return { db, drop: () => db.close() };
  },
};

// A schema of its own per run (and per suite), dropped afterwards: runs never see each other.
function postgres(connectionString: string): TestDatabase {
  return {
    kind: 'postgresql',
    async open() {
      const schema = `bank_api_test_${randomBytes(6).toString('hex')}`;
      const db = await openPostgres({ connectionString, schema, max: 10 });
      return {
        db,
        async drop() {
          await db.close();
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

/** PGlite always; PostgreSQL too when `DATABASE_URL` is set (CI sets it). */
export const DATABASES: readonly TestDatabase[] = process.env.DATABASE_URL
  ? [pglite, postgres(process.env.DATABASE_URL)]
  : [pglite];
