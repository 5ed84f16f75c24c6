import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, type Migration, readMigrations, runMigrations } from '@stepup-example/db';
import { testDatabases } from '@stepup-example/db/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

const DATABASES = testDatabases({
  databaseUrl: process.env.DATABASE_URL,
  schemaPrefix: 'db_migrate_test_',
  max: 4,
});
const LOCK = 4242;

// A function body and a string literal with `;` in them: splitting the file on `;` breaks both.
const FIRST: Migration = {
  version: 1,
  name: '0001_notes',
  sql: `CREATE TABLE notes (id text PRIMARY KEY, body text NOT NULL DEFAULT 'a;b');
CREATE FUNCTION shout(t text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  RETURN upper(t) || '!';
END $$;
INSERT INTO notes (id) VALUES ('first');`,
};
const SECOND: Migration = {
  version: 2,
  name: '0002_tags',
  sql: "CREATE TABLE tags (id text PRIMARY KEY);\nINSERT INTO notes (id) VALUES ('second');\n",
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const Row = z.object({ version: z.number(), name: z.string(), checksum: z.string() });

describe.each(DATABASES)('runMigrations on $name', (database) => {
  let db: Db;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await database.open());
  });
  afterAll(async () => {
    await drop();
  });
  // An empty schema for each test (cheaper than a new PGlite each time).
  beforeEach(async () => {
    const { s } = z.object({ s: z.string() }).parse((await db.query('SELECT current_schema() AS s')).rows[0]);
    await db.transaction((tx) => tx.exec(`DROP SCHEMA ${s} CASCADE; CREATE SCHEMA ${s};`));
  });

  const recorded = async () =>
    z
      .array(Row)
      .parse((await db.query('SELECT version, name, checksum FROM schema_migrations ORDER BY version')).rows);
  const notes = async () =>
    (await db.query('SELECT id, body FROM notes ORDER BY id')).rows.map((r) =>
      z.object({ id: z.string(), body: z.string() }).parse(r),
    );
  const tableExists = async (name: string) =>
    (await db.query('SELECT to_regclass($1) IS NOT NULL AS present', [name])).rows[0];

  it('runs each file whole, records its name and checksum, and applies nothing twice', async () => {
    const report = await runMigrations(db, { migrations: [FIRST, SECOND], lockId: LOCK });
    expect(report).toEqual({ applied: ['0001_notes', '0002_tags'], adopted: [] });
    expect(await notes()).toEqual([
      { id: 'first', body: 'a;b' },
      { id: 'second', body: 'a;b' },
    ]);
    expect((await db.query("SELECT shout('hi') AS s")).rows).toEqual([{ s: 'HI!' }]);
    expect(await recorded()).toEqual([
      { version: 1, name: '0001_notes', checksum: sha256(FIRST.sql) },
      { version: 2, name: '0002_tags', checksum: sha256(SECOND.sql) },
    ]);
    expect(await runMigrations(db, { migrations: [FIRST, SECOND], lockId: LOCK })).toEqual({
      applied: [],
      adopted: [],
    });
    expect(await notes()).toHaveLength(2);
  });

  it('refuses to start when an applied migration was edited, whatever else is pending', async () => {
    await runMigrations(db, { migrations: [FIRST], lockId: LOCK });
    const edited = { ...FIRST, sql: FIRST.sql.replace("'a;b'", "'a;c'") };
    await expect(runMigrations(db, { migrations: [edited, SECOND], lockId: LOCK })).rejects.toMatchObject({
      name: 'DbError',
      code: 'ERR_MIGRATION_CHANGED',
      message: expect.stringContaining('0001_notes'),
    });
    expect(await tableExists('tags')).toEqual({ present: false });
    // The same file checked out with Windows line endings is the same migration.
    const crlf = { ...FIRST, sql: FIRST.sql.replaceAll('\n', '\r\n') };
    expect((await runMigrations(db, { migrations: [crlf, SECOND], lockId: LOCK })).applied).toEqual([
      '0002_tags',
    ]);
  });

  it('refuses a database that has migrations the code does not', async () => {
    await runMigrations(db, { migrations: [FIRST, SECOND], lockId: LOCK });
    await expect(runMigrations(db, { migrations: [FIRST], lockId: LOCK })).rejects.toMatchObject({
      code: 'ERR_MIGRATION_UNKNOWN',
      message: expect.stringContaining('0002_tags'),
    });
  });

  it('rolls a failing migration back whole and keeps the ones before it', async () => {
    const broken: Migration = {
      version: 2,
      name: '0002_broken',
      sql: 'CREATE TABLE half (id int);\nSELECT * FROM nowhere;',
    };
    const error = await runMigrations(db, { migrations: [FIRST, broken], lockId: LOCK }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'ERR_MIGRATION_FAILED',
      message: 'migration 0002_broken failed',
      cause: expect.objectContaining({ code: '42P01' }),
    });
    expect(await tableExists('half')).toEqual({ present: false });
    expect((await recorded()).map((r) => r.name)).toEqual(['0001_notes']);
    expect((await runMigrations(db, { migrations: [FIRST, SECOND], lockId: LOCK })).applied).toEqual([
      '0002_tags',
    ]);
  });

  it('applies each migration once when several instances migrate at once', async () => {
    const runs = await Promise.all(
      [1, 2, 3].map(() => runMigrations(db, { migrations: [FIRST, SECOND], lockId: LOCK })),
    );
    expect(runs.flatMap((r) => r.applied).sort()).toEqual(['0001_notes', '0002_tags']);
    expect(await notes()).toHaveLength(2);
  });

  it('adopts what the earlier runner applied, then checks it like the rest', async () => {
    // The earlier runner: a bare `version` column, the first migration's objects in place.
    await db.transaction(async (tx) => {
      await tx.exec(FIRST.sql);
      await tx.exec(
        'CREATE TABLE schema_migrations (version integer PRIMARY KEY); INSERT INTO schema_migrations VALUES (1);',
      );
    });
    expect(await runMigrations(db, { migrations: [FIRST, SECOND], lockId: LOCK })).toEqual({
      applied: ['0002_tags'],
      adopted: ['0001_notes'],
    });
    expect((await recorded())[0]).toEqual({ version: 1, name: '0001_notes', checksum: sha256(FIRST.sql) });
    const edited = { ...FIRST, sql: `${FIRST.sql}\nSELECT 1;` };
    await expect(runMigrations(db, { migrations: [edited, SECOND], lockId: LOCK })).rejects.toMatchObject({
      code: 'ERR_MIGRATION_CHANGED',
    });
  });

  it('checks the list before it touches the database', async () => {
    await expect(runMigrations(db, { migrations: [SECOND], lockId: LOCK })).rejects.toMatchObject({
      code: 'ERR_CONFIG',
      message: expect.stringContaining('0002_tags has version 2; expected 1'),
    });
    await expect(runMigrations(db, { migrations: [FIRST], lockId: 1.5 })).rejects.toMatchObject({
      code: 'ERR_CONFIG',
      message: expect.stringContaining('lockId'),
    });
    expect(await tableExists('schema_migrations')).toEqual({ present: false });
  });
});

describe('readMigrations', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stepup-migrations-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads NNNN_name.sql files whole, in version order, and ignores other files', async () => {
    await writeFile(join(dir, '0002_tags.sql'), SECOND.sql);
    await writeFile(join(dir, '0001_notes.sql'), FIRST.sql);
    await writeFile(join(dir, 'README.md'), '# not a migration');
    expect(await readMigrations(dir)).toEqual([FIRST, SECOND]);
  });

  it('refuses a .sql file named otherwise, naming it', async () => {
    await writeFile(join(dir, '0001_notes.sql'), FIRST.sql);
    await writeFile(join(dir, '2_tags.sql'), SECOND.sql);
    await expect(readMigrations(dir)).rejects.toMatchObject({
      code: 'ERR_CONFIG',
      message: expect.stringContaining('2_tags.sql'),
    });
  });
});
