import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { type Db, isDbError, openPostgres } from '@stepup-example/db';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

// The PostgreSQL server ends connections under a running transaction, the way a restart does (57P01,
// pg_terminate_backend), at each moment of a transaction's life. Only this suite's own backends are
// terminated: the shared cluster keeps running. Needs DATABASE_URL (CI sets it, and must not skip).
const url = process.env.DATABASE_URL;
if (process.env.CI === 'true' && !url) throw new Error('DATABASE_URL must be set in CI');

const Pid = z.object({ pid: z.number() });
const Count = z.object({ n: z.number() });

describe.skipIf(!url)('the PostgreSQL layer when connections die', () => {
  const schema = `db_faults_${randomBytes(6).toString('hex')}`;
  let db: Db;
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    db = await openPostgres({ connectionString: url!, schema, max: 3 });
    await db.query('CREATE TABLE notes (id text PRIMARY KEY)');
    // A deferred trigger that sleeps makes COMMIT itself take a while, so it can be cut mid-flight.
    await db.query(
      `CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN PERFORM pg_sleep(2); RETURN NULL; END $$`,
    );
    await db.query(`CREATE TABLE slow (id text PRIMARY KEY)`);
    await db.query(
      `CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON slow DEFERRABLE INITIALLY DEFERRED
       FOR EACH ROW EXECUTE FUNCTION slow_commit()`,
    );
  });
  afterAll(async () => {
    await db?.close();
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });

  const pidOf = async (tx: { query: Db['query'] }) =>
    Pid.parse((await tx.query('SELECT pg_backend_pid() AS pid')).rows[0]).pid;
  const count = async (table: string) =>
    Count.parse((await db.query(`SELECT COUNT(*)::int AS n FROM ${table}`)).rows[0]).n;

  // Terminates the backend and waits until it is gone, so its FATAL message has reached the client.
  async function terminate(pid: number): Promise<void> {
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    for (let i = 0; i < 100; i++) {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
      if (rowCount === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  it('between two statements of a transaction: ERR_DB_CONNECTION_LOST, nothing kept, the process lives on', async () => {
    const failure = db
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO notes VALUES ('between')`);
        await terminate(await pidOf(tx));
        await tx.query(`INSERT INTO notes VALUES ('after')`);
      })
      .catch((error: unknown) => error);
    const error = await failure;
    expect(isDbError(error, ['ERR_DB_CONNECTION_LOST'])).toBe(true);
    expect(await count('notes')).toBe(0);
  });

  it('while a statement runs in a transaction: ERR_DB_CONNECTION_LOST', async () => {
    const error = await db
      .transaction(async (tx) => {
        const pid = await pidOf(tx);
        setTimeout(() => void terminate(pid), 200);
        await tx.query('SELECT pg_sleep(5)');
      })
      .catch((e: unknown) => e);
    expect(isDbError(error, ['ERR_DB_CONNECTION_LOST'])).toBe(true);
  });

  it('while COMMIT is in flight: ERR_DB_OUTCOME_UNKNOWN', async () => {
    const error = await db
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO slow VALUES ('commit')`);
        const pid = await pidOf(tx);
        setTimeout(() => void terminate(pid), 300);
      })
      .catch((e: unknown) => e);
    expect(isDbError(error, ['ERR_DB_OUTCOME_UNKNOWN'])).toBe(true);
  });

  it('a lone statement cut mid-flight: ERR_DB_OUTCOME_UNKNOWN', async () => {
    const { pid } = Pid.parse((await db.query('SELECT pg_backend_pid() AS pid')).rows[0]);
    // The pool hands out its idle clients last-in first-out: the next statement runs on `pid`.
    setTimeout(() => void terminate(pid), 200);
    const error = await db.query('SELECT pg_sleep(5)').catch((e: unknown) => e);
    expect(isDbError(error, ['ERR_DB_OUTCOME_UNKNOWN'])).toBe(true);
  });

  it('an idle pooled connection that dies is replaced on the next statement', async () => {
    const { pid } = Pid.parse((await db.query('SELECT pg_backend_pid() AS pid')).rows[0]);
    await terminate(pid);
    const again = Pid.parse((await db.query('SELECT pg_backend_pid() AS pid')).rows[0]).pid;
    expect(again).not.toBe(pid);
  });

  it('after all that, transactions commit again and ping answers', async () => {
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO notes VALUES ('later')`);
    });
    expect(await count('notes')).toBe(1);
    await expect(db.ping({ timeoutMs: 1000 })).resolves.toBeUndefined();
  });
});

describe('the PostgreSQL layer without a server', () => {
  it('fails with ERR_DB_UNAVAILABLE after acquireTimeoutMs, never with the socket error', async () => {
    // A port that was free a moment ago: connections are refused.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (address === null || typeof address === 'string') throw new Error('no port');
    const started = performance.now();
    const error = await openPostgres({
      connectionString: `postgres://nobody:secret@127.0.0.1:${address.port}/none`,
      acquireTimeoutMs: 300,
    }).catch((e: unknown) => e);
    expect(isDbError(error, ['ERR_DB_UNAVAILABLE'])).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    expect(String(error)).toBe('DbError: The database cannot be reached.');
  });
});
