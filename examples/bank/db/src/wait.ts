import { isDbError } from './errors.js';

/** Options of {@link waitForDatabase}. */
export interface WaitForDatabaseOptions {
  /** Gives up (throws the last error) after this long; default 60 000 ms. */
  readonly timeoutMs?: number;
  /** Between two tries; default 1000 ms. */
  readonly intervalMs?: number;
  /** Called once, on the first failure: the app logs that it waits. */
  readonly onWaiting?: (error: unknown) => void;
  /** A monotonic clock in milliseconds; default `performance.now`. */
  readonly elapsed?: () => number;
}

/**
 * Runs `open` (opening and migrating a database, typically) until it stops failing with
 * `ERR_DB_UNAVAILABLE`, so a server started while its database is still coming up waits for it instead
 * of exiting. Any other error is thrown at once.
 * @throws the last `ERR_DB_UNAVAILABLE` after `timeoutMs`.
 *
 * @example
 * const { db } = await waitForDatabase(() => openDatabase(options), { onWaiting: () => log('waiting') });
 */
export async function waitForDatabase<T>(
  open: () => Promise<T>,
  options: WaitForDatabaseOptions = {},
): Promise<T> {
  const elapsed = options.elapsed ?? (() => performance.now());
  const deadline = elapsed() + (options.timeoutMs ?? 60_000);
  const intervalMs = options.intervalMs ?? 1000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await open();
    } catch (error) {
      if (!isDbError(error, ['ERR_DB_UNAVAILABLE']) || elapsed() + intervalMs > deadline) throw error;
      if (attempt === 0) options.onWaiting?.(error);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
