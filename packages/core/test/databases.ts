// The databases the PostgreSQL replay store is tested on: PGlite always; PostgreSQL when DATABASE_URL is
// set, each opening in a schema of its own, dropped afterwards (the cluster is shared). On a developer's
// machine without DATABASE_URL the PostgreSQL suites are skipped; under CI they fail instead.
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { createPostgresReplayStore, type PostgresReplayStore } from '@stepup/core/stores';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { StoreVariant } from './conformance/run.js';
import { now } from './conformance/setup.js';

const DATABASE_URL = process.env.DATABASE_URL || undefined;
const IN_CI = Boolean(process.env.CI);

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
export const DATABASES: readonly TestDatabase[] =
  DATABASE_URL === undefined ? [pglite] : [pglite, postgres(DATABASE_URL)];

/**
 * Declares the PostgreSQL variant of `name` when it is left out for want of `DATABASE_URL`: skipped on
 * a developer's machine (so the run lists it), failed under CI (where it must never be skipped).
 */
export function postgresVariant(name: string): void {
  if (DATABASE_URL !== undefined) return;
  describe(`${name} on PostgreSQL`, { skip: !IN_CI }, () => {
    it('runs with DATABASE_URL set', () => {
      expect.fail('DATABASE_URL is not set: this suite must run on PostgreSQL under CI');
    });
  });
}

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
