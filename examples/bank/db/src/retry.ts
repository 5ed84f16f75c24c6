import { type DbErrorCode, isDbError } from './errors.js';

/** Options of {@link retryTransient}. */
export interface RetryOptions {
  /**
   * Whether running `fn` twice does no harm even when the first run may have happened (reads, upserts,
   * work guarded by an idempotency key the caller trusts). Only then is `ERR_DB_OUTCOME_UNKNOWN` retried.
   */
  readonly idempotent: boolean;
  /** Runs in all; default 5. */
  readonly attempts?: number;
  /** Waits before the next run; default a short random backoff growing with the attempt. */
  readonly sleep?: (attempt: number) => Promise<void>;
}

// Rolled back for certain: running again is safe for any work. ERR_DB_UNAVAILABLE is not here: the
// database layer has already waited for a connection as long as it was told to.
const ROLLED_BACK: readonly DbErrorCode[] = ['ERR_DB_CONFLICT', 'ERR_DB_CONNECTION_LOST'];
const IN_DOUBT: readonly DbErrorCode[] = [...ROLLED_BACK, 'ERR_DB_OUTCOME_UNKNOWN'];

const backoff = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));

/**
 * Runs `fn` (a whole transaction, or one statement) again when the database says that doing so is
 * safe: a serialization failure or deadlock, or a connection lost before `COMMIT`; and, when
 * `idempotent`, a connection lost while the outcome was in flight. Never runs again work whose outcome
 * is unknown otherwise: for a transfer the client's `Idempotency-Key` decides, on its next request.
 * @throws the last error, unchanged, once `attempts` runs failed or the error is not worth another run.
 *
 * @example
 * const accounts = await retryTransient(() => listAccounts(db, sub), { idempotent: true });
 */
export async function retryTransient<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = options.attempts ?? 5;
  const sleep = options.sleep ?? backoff;
  const retryable = options.idempotent ? IN_DOUBT : ROLLED_BACK;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !isDbError(error, retryable)) throw error;
      await sleep(attempt);
    }
  }
}
