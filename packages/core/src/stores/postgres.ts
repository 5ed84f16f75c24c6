import { z } from 'zod';
import { StepUpError } from '../errors.js';
import { parseWith } from '../options.js';
import type { ReplayStore } from './replay-store.js';

/**
 * What the store needs of a PostgreSQL client: `query(text, values)` resolving `{ rows }`. A `pg` `Pool`
 * (or `Client`) and a PGlite instance both fit as they are; core depends on neither.
 */
export interface PostgresQueryable {
  query(text: string, values?: unknown[]): Promise<{ readonly rows: readonly unknown[] }>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

const optionsSchema = z.strictObject({
  client: z.custom<PostgresQueryable>(
    (value) =>
      typeof value === 'object' && value !== null && typeof (value as PostgresQueryable).query === 'function',
    'client must have query(text, values), like a pg Pool or PGlite',
  ),
  /** `table` or `schema.table`, lower-case letters, digits and `_`. Default `stepup_replay`. */
  table: z
    .string()
    .refine((name) => name.split('.').length <= 2 && name.split('.').every((part) => IDENTIFIER.test(part)), {
      message: 'must be table or schema.table, each lower-case letters, digits and _ (at most 63)',
    })
    .default('stepup_replay'),
  /** Milliseconds since the epoch. Default `Date.now`. Instances sharing a table need agreeing clocks. */
  now: z.custom<() => number>((v) => typeof v === 'function', 'now must be a function').optional(),
  /** Milliseconds between deletions of expired rows, or `false` to call `sweep()` yourself. Default 60 s. */
  sweepInterval: z.union([z.literal(false), z.number().int().min(1000)]).default(60_000),
});

/** Options of `createPostgresReplayStore`. */
export type PostgresReplayStoreOptions = z.input<typeof optionsSchema>;

/** A `ReplayStore` in a PostgreSQL table, with what it takes to create and tidy that table. */
export interface PostgresReplayStore extends ReplayStore {
  /** The table's DDL (`CREATE TABLE IF NOT EXISTS …; CREATE INDEX IF NOT EXISTS …;`), for a migration tool. */
  readonly sql: string;
  /** Runs `sql`, one statement at a time (idempotent). The schema of a `schema.table` must exist. */
  migrate(): Promise<void>;
  /** Deletes expired rows, at most `SWEEP_BATCH` per call, and resolves how many it deleted. */
  sweep(): Promise<number>;
}

/** Most rows one `sweep()` deletes, so that a backlog never makes one statement long. */
export const SWEEP_BATCH = 1000;

const Swept = z.object({ rows: z.tuple([z.object({ deleted: z.number() })]) });
const Consumed = z.object({ rows: z.array(z.unknown()).max(1) });

const unavailable = (cause: unknown) =>
  new StepUpError('ERR_REPLAY_STORE_UNAVAILABLE', 'The replay store is unavailable', { cause });

/**
 * A `ReplayStore` for several API instances, in one PostgreSQL table (`key` primary key, `expires_at`
 * in milliseconds, the first use's `fingerprint`). `consume` is one statement, atomic under
 * concurrency on any number of connections: `INSERT … ON CONFLICT (key) DO UPDATE … WHERE` the row has
 * expired or carries the same fingerprint, `RETURNING` a row only when this call recorded (or
 * re-recorded) the key. Expiry is compared with the injected clock, not the database's, so it agrees
 * with the token checks. Expired rows are deleted every `sweepInterval`, after a `consume` and without
 * delaying it (an expired row refuses nothing meanwhile).
 *
 * Fails closed: any client error, or an answer of the wrong shape, is `ERR_REPLAY_STORE_UNAVAILABLE`
 * (503) with a generic message; the client's error (which may name hosts and tables) is only its `cause`.
 *
 * @throws StepUpError `ERR_CONFIG_INVALID` for invalid options.
 * @example
 * const replays = createPostgresReplayStore({ client: new pg.Pool({ connectionString }) });
 * await replays.migrate(); // or put replays.sql in your migrations
 * const stepUp = createStepUp({ ..., transactions: { store: replays } });
 */
export function createPostgresReplayStore(options: PostgresReplayStoreOptions): PostgresReplayStore {
  const {
    client,
    table,
    now = Date.now,
    sweepInterval,
  } = parseWith(optionsSchema, options, 'createPostgresReplayStore options');
  const quoted = table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
  const index = `"${table.split('.').at(-1)}_expires_at"`;
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${quoted} (key text PRIMARY KEY, expires_at bigint NOT NULL, fingerprint text)`,
    `CREATE INDEX IF NOT EXISTS ${index} ON ${quoted} (expires_at)`,
  ];
  // A live row is kept as it is, except that a same-fingerprint retry may extend it; an expired row is
  // replaced. `r.fingerprint = EXCLUDED.fingerprint` is NULL, so false, when either side has none.
  const consumeSql = `INSERT INTO ${quoted} AS r (key, expires_at, fingerprint) VALUES ($1, $2, $3)
    ON CONFLICT (key) DO UPDATE SET
      expires_at = CASE WHEN r.expires_at <= $4 THEN EXCLUDED.expires_at
                        ELSE GREATEST(r.expires_at, EXCLUDED.expires_at) END,
      fingerprint = EXCLUDED.fingerprint
    WHERE r.expires_at <= $4 OR r.fingerprint = EXCLUDED.fingerprint
    RETURNING 1 AS recorded`;
  const sweepSql = `WITH gone AS (DELETE FROM ${quoted} WHERE key IN
      (SELECT key FROM ${quoted} WHERE expires_at <= $1 LIMIT ${SWEEP_BATCH}) RETURNING 1)
    SELECT count(*)::int AS deleted FROM gone`;
  let nextSweep = sweepInterval === false ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;

  const sweep = async (): Promise<number> => {
    try {
      return Swept.parse(await client.query(sweepSql, [Math.floor(now())])).rows[0].deleted;
    } catch (error) {
      throw unavailable(error);
    }
  };

  return {
    sql: `${statements.join(';\n')};\n`,
    async migrate() {
      try {
        for (const statement of statements) await client.query(statement);
      } catch (error) {
        throw unavailable(error);
      }
    },
    sweep,
    async consume(key, expiresAt, fingerprint) {
      const at = Math.floor(now());
      let recorded: boolean;
      try {
        const result = await client.query(consumeSql, [key, Math.ceil(expiresAt), fingerprint ?? null, at]);
        recorded = Consumed.parse(result).rows.length === 1;
      } catch (error) {
        throw unavailable(error);
      }
      if (at >= nextSweep && sweepInterval !== false) {
        nextSweep = at + sweepInterval;
        // Housekeeping only: a failed sweep leaves expired rows, which refuse nothing; the next one retries.
        sweep().catch(() => undefined);
      }
      return recorded;
    },
  };
}
