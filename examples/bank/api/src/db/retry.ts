import { BankApiError } from '../errors.js';

// PostgreSQL SQLSTATEs worth retrying: the transaction did nothing and can run again.
const RETRYABLE = new Set(['40001', '40P01']);

function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/**
 * Runs `fn` (a whole transaction) again when PostgreSQL aborted it for a serialization failure or a
 * deadlock, up to `attempts` times with a short random backoff.
 * @throws BankApiError `ERR_BUSY` when every attempt was aborted; any other error as it is.
 */
export async function withRetry<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!RETRYABLE.has(sqlState(error) ?? '')) throw error;
      if (attempt >= attempts) {
        throw new BankApiError('ERR_BUSY', 'The bank is busy; please try again.', { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
