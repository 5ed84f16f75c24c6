import type pg from 'pg';
import { isConnectionFailure } from './classify.js';
import { DbError } from './errors.js';

/**
 * A client checked out of the pool, listening for its `'error'` event while it is out.
 *
 * Why: pg-pool listens for `'error'` on idle clients only (it removes its listener in `_acquireClient`
 * and puts it back in `_release`), and `pool.query` adds one for its own query only. A client taken
 * with `pool.connect()` whose server goes away (`57P01` between two statements of a transaction, or the
 * socket's `'end'` after any failure) emits `'error'` with nobody listening, and Node ends the process.
 */
export interface Lease {
  readonly client: pg.PoolClient;
  /** The first `'error'` the client emitted while checked out: the connection is dead. */
  readonly lost: unknown;
  /** Gives the client back; a dead or doubtful one (`destroy`, or {@link lost}) is closed, not reused. */
  release(destroy: boolean): void;
}

function lease(client: pg.PoolClient): Lease {
  let lost: unknown;
  const onError = (error: unknown) => {
    lost ??= error ?? new Error('connection lost');
  };
  client.on('error', onError);
  return {
    client,
    get lost() {
      return lost;
    },
    release(destroy) {
      // pg-pool's `_release` puts its idle listener back synchronously: there is no moment without one.
      client.removeListener('error', onError);
      client.release(destroy || lost !== undefined ? true : undefined);
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Checks a client out, trying again while the failure is a connection failure (refused, "the database
 * system is starting up", cut during the handshake) and `waitMs` has not passed: nothing was sent yet, so
 * trying again is always safe. The pool's own `connectionTimeoutMillis` bounds each attempt.
 * @throws DbError `ERR_DB_UNAVAILABLE` with the last driver error as `cause`.
 */
export async function acquire(pool: pg.Pool, waitMs: number): Promise<Lease> {
  const deadline = performance.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return lease(await pool.connect());
    } catch (error) {
      const left = deadline - performance.now();
      if (!isConnectionFailure(error) || left <= 0) {
        throw new DbError('ERR_DB_UNAVAILABLE', 'The database cannot be reached.', { cause: error });
      }
      await sleep(Math.min(left, 25 * 2 ** Math.min(attempt, 4)));
    }
  }
}
