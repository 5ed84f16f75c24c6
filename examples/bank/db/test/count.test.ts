// `QueryResult.count` means one thing on both databases: rows changed by INSERT/UPDATE/DELETE, rows
// returned by SELECT (as `pg`'s rowCount; PGlite itself reports 0 affected rows for a SELECT).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/index.js';
import { testDatabases } from '../src/testing.js';

const databases = testDatabases({ databaseUrl: process.env.DATABASE_URL, schemaPrefix: 'db_count_', max: 2 });

describe.each(databases)('QueryResult.count on $name', (database) => {
  let db: Db;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await database.open());
    await db.query('CREATE TABLE t (id int PRIMARY KEY)');
  });
  afterAll(async () => {
    await drop?.();
  });

  it('counts inserted, selected, updated and deleted rows', async () => {
    expect((await db.query('INSERT INTO t (id) VALUES (1), (2), (3)')).count).toBe(3);
    expect((await db.query('INSERT INTO t (id) VALUES (1) ON CONFLICT DO NOTHING')).count).toBe(0);
    expect((await db.query('SELECT id FROM t WHERE id > $1', [1])).count).toBe(2);
    expect((await db.query('SELECT id FROM t WHERE id > 9')).count).toBe(0);
    expect((await db.query('UPDATE t SET id = id + 10 WHERE id < 3')).count).toBe(2);
    expect((await db.query('DELETE FROM t')).count).toBe(3);
  });
});
