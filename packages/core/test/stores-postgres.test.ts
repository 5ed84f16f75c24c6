import { isStepUpError, type StepUpError } from '@stepup/core';
import { createPostgresReplayStore, type PostgresQueryable, SWEEP_BATCH } from '@stepup/core/stores';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postgresVariant } from '../../../test/services.js';
import { DATABASES, type OpenedDatabase } from './databases.js';
import { clock } from './helpers.js';
import { replayStoreContract } from './replay-store-contract.js';

async function rejection(promise: Promise<unknown>): Promise<StepUpError> {
  try {
    await promise;
  } catch (error) {
    if (isStepUpError(error)) return error;
    throw error;
  }
  throw new Error('it resolved');
}

describe.each(DATABASES)('createPostgresReplayStore on $name', (database) => {
  // One database per suite (PGlite takes seconds to start), an empty table per test.
  let db: OpenedDatabase;
  beforeAll(async () => {
    db = await database.open();
  });
  afterAll(() => db.close());
  beforeEach(() => db.query(`DROP TABLE IF EXISTS ${db.table}`));

  const migrated = async (time: { readonly now: () => number } = clock(0)) => {
    const store = createPostgresReplayStore({ client: db.client(), table: db.table, now: time.now });
    await store.migrate();
    return store;
  };

  it('migrates idempotently, and its sql creates the same table and index', async () => {
    const store = await migrated();
    await store.migrate();
    const { rows } = await db.query(
      `SELECT column_name, data_type FROM information_schema.columns
       WHERE table_name = 'stepup_replay' AND table_schema = $1 ORDER BY ordinal_position`,
      [db.schema],
    );
    expect(rows).toEqual([
      { column_name: 'key', data_type: 'text' },
      { column_name: 'expires_at', data_type: 'bigint' },
      { column_name: 'fingerprint', data_type: 'text' },
    ]);
    const [table] = db.table.split('.').reverse();
    expect(store.sql).toBe(
      `CREATE TABLE IF NOT EXISTS ${db.table
        .split('.')
        .map((p) => `"${p}"`)
        .join(
          '.',
        )} (key text PRIMARY KEY, expires_at bigint NOT NULL, fingerprint text);\nCREATE INDEX IF NOT EXISTS "${table}_expires_at" ON ${db.table
        .split('.')
        .map((p) => `"${p}"`)
        .join('.')} (expires_at);\n`,
    );
  });

  describe('the ReplayStore contract', () => {
    replayStoreContract(migrated);
  });

  it('keeps one row per key: the first use’s fingerprint, the latest expiry of its retries', async () => {
    const store = await migrated();
    expect(await store.consume('k', 50_000, 'idem')).toBe(true);
    expect(await store.consume('k', 30_000, 'idem')).toBe(true);
    expect(await store.consume('k', 60_000, 'other')).toBe(false);
    expect(await store.consume('k', 70_000, 'idem')).toBe(true);
    expect(await store.consume('plain', 10_000)).toBe(true);
    const { rows } = await db.query(
      `SELECT key, fingerprint, expires_at::text AS e FROM ${db.table} ORDER BY key`,
    );
    expect(rows).toEqual([
      { key: 'k', fingerprint: 'idem', e: '70000' },
      { key: 'plain', fingerprint: null, e: '10000' },
    ]);
  });

  it('of concurrent uses of one key on two clients, exactly one wins', async () => {
    const [first, second] = [db.client(), db.client()].map((client) =>
      createPostgresReplayStore({ client, table: db.table, now: () => 0 }),
    );
    await first!.migrate();
    for (const round of ['r1', 'r2', 'r3']) {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? first! : second!).consume(round, 1000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    }
    // With fingerprints: every winner carries the first recorded one.
    const mixed = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0 ? first! : second!).consume('fp', 1000, i < 5 ? 'x' : 'y').then((won) => ({ won, i })),
      ),
    );
    const winners = mixed.filter((r) => r.won).map((r) => (r.i < 5 ? 'x' : 'y'));
    expect(winners.length).toBeGreaterThanOrEqual(1);
    expect(new Set(winners).size).toBe(1);
  });

  it('sweep deletes expired rows only, in bounded batches', async () => {
    const time = clock(0);
    const store = await migrated(time);
    await db.query(
      `INSERT INTO ${db.table} (key, expires_at) SELECT 'old-' || g, 5000 FROM generate_series(1, $1::int) g`,
      [SWEEP_BATCH + 5],
    );
    expect(await store.consume('live', 60_000)).toBe(true);
    time.advance(5);
    expect(await store.sweep()).toBe(SWEEP_BATCH);
    expect(await store.sweep()).toBe(5);
    expect(await store.sweep()).toBe(0);
    const { rows } = await db.query(`SELECT key FROM ${db.table}`);
    expect(rows).toEqual([{ key: 'live' }]);
    expect(await store.consume('live', 60_000)).toBe(false);
  });

  it('a client error is a 503 without the internal text', async () => {
    const store = createPostgresReplayStore({ client: db.client(), table: `${db.table}_missing` });
    const error = await rejection(store.consume('k', 1000));
    expect([error.code, error.status, error.message]).toEqual([
      'ERR_REPLAY_STORE_UNAVAILABLE',
      503,
      'The replay store is unavailable',
    ]);
    expect(String((error.cause as Error).message)).toContain('stepup_replay_missing');
    expect(JSON.stringify(error.body)).not.toContain('missing');
  });
});
postgresVariant('createPostgresReplayStore on PostgreSQL');

describe('createPostgresReplayStore without a database', () => {
  it('turns a refused connection into ERR_REPLAY_STORE_UNAVAILABLE, for consume, migrate and sweep', async () => {
    const pool = new pg.Pool({ host: '127.0.0.1', port: 1, connectionTimeoutMillis: 2000 });
    pool.on('error', () => {});
    const store = createPostgresReplayStore({ client: pool });
    try {
      for (const attempt of [store.consume('k', 1000), store.migrate(), store.sweep()]) {
        const error = await rejection(attempt);
        expect(error.code).toBe('ERR_REPLAY_STORE_UNAVAILABLE');
        expect(error.message).not.toContain('ECONNREFUSED');
        expect(String(error.cause)).toContain('ECONNREFUSED');
      }
    } finally {
      await pool.end();
    }
  });

  it('refuses an answer of the wrong shape rather than guess', async () => {
    for (const answer of [{}, { rows: [{}, {}] }, { rows: 'yes' }]) {
      const client: PostgresQueryable = { query: async () => answer as never };
      const error = await rejection(createPostgresReplayStore({ client }).consume('k', 1000));
      expect(error.code).toBe('ERR_REPLAY_STORE_UNAVAILABLE');
    }
  });

  it('sweeps after a consume at most once per sweepInterval, without delaying it, and never when off', async () => {
    const time = clock(0);
    const statements: string[] = [];
    let releaseSweep: () => void = () => {};
    const client: PostgresQueryable = {
      async query(text) {
        const kind = text.trimStart().split(/\s/)[0]!;
        statements.push(kind);
        if (kind === 'WITH') {
          await new Promise<void>((resolve) => {
            releaseSweep = resolve;
          });
          throw new Error('sweep failed'); // housekeeping: must not reach the caller
        }
        return { rows: [{ recorded: 1 }] };
      },
    };
    const store = createPostgresReplayStore({ client, now: time.now, sweepInterval: 5000 });
    expect(await store.consume('a', 10_000)).toBe(true); // resolved while the sweep is still pending
    expect(await store.consume('b', 10_000)).toBe(true);
    time.advance(5);
    expect(await store.consume('c', 10_000)).toBe(true);
    releaseSweep();
    expect(statements).toEqual(['INSERT', 'WITH', 'INSERT', 'INSERT', 'WITH']);
    const manual: string[] = [];
    const off = createPostgresReplayStore({
      client: {
        async query(text) {
          manual.push(text.slice(0, 6));
          return { rows: [{ recorded: 1 }] };
        },
      },
      sweepInterval: false,
    });
    await off.consume('a', 1000);
    expect(manual).toEqual(['INSERT']);
  });

  it.each([
    ['no client', {}, 'client'],
    ['a client without query', { client: {} }, 'client'],
    [
      'an injected table name',
      { client: { query: async () => ({ rows: [] }) }, table: 'x; DROP TABLE y' },
      'table',
    ],
    ['three name parts', { client: { query: async () => ({ rows: [] }) }, table: 'a.b.c' }, 'table'],
    ['an upper-case name', { client: { query: async () => ({ rows: [] }) }, table: 'Replay' }, 'table'],
    [
      'a sub-second sweep interval',
      { client: { query: async () => ({ rows: [] }) }, sweepInterval: 10 },
      'sweepInterval',
    ],
    ['an unknown option', { client: { query: async () => ({ rows: [] }) }, tabel: 'x' }, 'tabel'],
  ])('refuses %s at construction, naming the field', (_, options, path) => {
    try {
      createPostgresReplayStore(options as never);
      expect.fail('accepted');
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_CONFIG_INVALID', details: { path } });
    }
  });
});
