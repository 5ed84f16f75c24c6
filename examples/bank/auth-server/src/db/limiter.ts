import type { Db } from '@stepup-example/db';
import { RateLimiterPostgres } from 'rate-limiter-flexible';

/** The table every limiter of the server counts in (created by the migrations, keys prefixed per limiter). */
export const RATE_LIMIT_TABLE = 'rate_limits';

/** Options of {@link sharedLimiter}: `rate-limiter-flexible`'s own names. */
export interface LimiterOptions {
  /** Keeps the limiters apart in the one table: `signin`, `otp`. */
  keyPrefix: string;
  /** What may be consumed per key and window. */
  points: number;
  /** The window, in seconds. */
  duration: number;
}

// What RateLimiterPostgres sends: a `pg` query config (its `name`, a prepared statement's, is not needed).
interface QueryConfig {
  text: string;
  values?: unknown[];
}

/**
 * A `rate-limiter-flexible` limiter counting in the server's database, so that every instance of the
 * server on one PostgreSQL shares the counts (one atomic `INSERT … ON CONFLICT … RETURNING` per
 * attempt). `RateLimiterPostgres` is given the bank's `Db` as its client (`storeType: 'pool'`: it only
 * calls `query({ text, values })` and reads `rows` and `rowCount`), so the same limiter runs on the
 * embedded PGlite too: one process there, and no `RateLimiterMemory` needed for it. The table is made
 * by the migrations (`tableCreated`), not by the limiter at construction. The windows run on the real
 * clock (the library reads `Date.now()`); rows expired for an hour are deleted every 5 minutes.
 *
 * A database fault fails the attempt with the fault (a 503), never lets it through.
 */
export function sharedLimiter(db: Db, options: LimiterOptions): RateLimiterPostgres {
  const storeClient = {
    async query(config: QueryConfig) {
      const { rows, count } = await db.query(config.text, config.values ?? []);
      return { rows, rowCount: count };
    },
  };
  return new RateLimiterPostgres({
    storeClient,
    storeType: 'pool',
    tableName: RATE_LIMIT_TABLE,
    tableCreated: true,
    ...options,
  });
}
