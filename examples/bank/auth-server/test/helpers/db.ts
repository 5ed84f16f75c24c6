// The databases the integration tests run against: PGlite always, PostgreSQL when DATABASE_URL is
// set (each run in its own schema, dropped afterwards, so parallel runs do not collide).
import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/db/db.js';
import { openPglite } from '../../src/db/pglite.js';
import { openPostgres } from '../../src/db/postgres.js';

export interface TestDatabase {
  name: string;
  open(): Promise<{ db: Db; dispose(): Promise<void> }>;
}

const pglite: TestDatabase = {
  name: 'PGlite',
  async open() {
    const db = await openPglite(undefined);
    return { db, dispose: () => db.close() };
  },
};

function postgres(connectionString: string): TestDatabase {
  return {
    name: 'PostgreSQL',
    async open() {
      const schema = `as_test_${randomBytes(6).toString('hex')}`;
      const db = await openPostgres({ connectionString, schema, max: 3 });
      return {
        db,
        async dispose() {
          await db.query(`DROP SCHEMA ${schema} CASCADE`);
          await db.close();
        },
      };
    },
  };
}

export const databases: TestDatabase[] = [
  pglite,
  ...(process.env.DATABASE_URL ? [postgres(process.env.DATABASE_URL)] : []),
];
