// The databases the PostgreSQL replay store is tested on: PGlite always; PostgreSQL when DATABASE_URL is
// set (`available('postgres')` in the root test/services.ts), each opening in a schema of its own,
// dropped afterwards (the cluster is shared). A suite that runs per database declares its PostgreSQL
// variant with `postgresVariant` (test/services.ts): skipped on a developer's machine without
// DATABASE_URL, failed under CI.
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { createPostgresReplayStore, type PostgresReplayStore } from '@stepup/core/stores';
import pg from 'pg';
import { available } from '../../../test/services.js';
import { now, type StoreVariant } from './conformance/setup.js';

/** A database opened for one suite, with the table name the store uses and a raw query for checks. */
export interface OpenedDatabase {
  /** `stepup_replay` in a schema of the suite's own on PostgreSQL. */
  readonly table: string;
  /** The schema `table` is in. */
  readonly schema: string;
  /** Clients on this database: one for PGlite, a new `pg` pool per call for PostgreSQL. */
  client(): PGlite | pg.Pool;
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
}

export interface TestDatabase {
  readonly name: 'PGlite' | 'PostgreSQL';
  open(): Promise<OpenedDatabase>;
}

const pglite: TestDatabase = {
  name: 'PGlite',
  async open() {
    const db = new PGlite();
    return {
      table: 'stepup_replay',
      schema: 'public',
      client: () => db,
      query: (text, values) => db.query(text, values),
      close: () => db.close(),
    };
  },
};

function postgres(connectionString: string): TestDatabase {
  return {
    name: 'PostgreSQL',
    async open() {
      const schema = `stepup_core_test_${randomBytes(6).toString('hex')}`;
      const pools: pg.Pool[] = [];
      const client = () => {
        const pool = new pg.Pool({ connectionString, max: 4 });
        // An idle client that loses its connection emits 'error'; without a listener that kills the run.
        pool.on('error', () => {});
        pools.push(pool);
        return pool;
      };
      const admin = client();
      await admin.query(`CREATE SCHEMA ${schema}`);
      return {
        table: `${schema}.stepup_replay`,
        schema,
        client,
        query: (text, values) => admin.query(text, values),
        async close() {
          await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await Promise.all(pools.map((pool) => pool.end()));
        },
      };
    },
  };
}

/** PGlite, and PostgreSQL when `DATABASE_URL` is set. */
const DATABASE_URL = process.env.DATABASE_URL;
export const DATABASES: readonly TestDatabase[] =
  available('postgres') && DATABASE_URL !== undefined ? [pglite, postgres(DATABASE_URL)] : [pglite];

/** A migrated PostgreSQL replay store on each database, for the engine and adapter suites. */
export const STORE_VARIANTS: readonly StoreVariant[] = DATABASES.map((database) => ({
  name: database.name,
  async open() {
    const db = await database.open();
    const store: PostgresReplayStore = createPostgresReplayStore({
      client: db.client(),
      table: db.table,
      now,
    });
    await store.migrate();
    return { store, close: () => db.close() };
  },
}));
