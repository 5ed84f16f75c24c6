import type { Db } from '@stepup-example/db';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { sharedLimiter } from '../db/limiter.js';
import { AuthServerError } from '../errors.js';

/** Wrong codes an account may send per window before codes are refused for the rest of it. */
export const OTP_MAX_FAILURES = 5;
/** The window, in seconds (15 minutes). */
export const OTP_FAILURE_WINDOW_SECONDS = 15 * 60;

/** Wrong one-time codes per account, so that six digits cannot be guessed by trying. */
export interface CodeAttempts {
  /** @throws AuthServerError `ERR_OTP_LOCKED` (429) while the account has used up its wrong codes. */
  assertAllowed(accountId: string): Promise<void>;
  /** Counts a wrong code. @throws AuthServerError `ERR_OTP_LOCKED` when it was the last one allowed. */
  failed(accountId: string): Promise<void>;
}

function locked(msBeforeNext: number): AuthServerError {
  const minutes = Math.max(1, Math.ceil(msBeforeNext / 60_000));
  return new AuthServerError(
    'ERR_OTP_LOCKED',
    `Too many wrong codes. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`,
    { retryAfter: Math.max(1, Math.ceil(msBeforeNext / 1000)) },
  );
}

/**
 * At most {@link OTP_MAX_FAILURES} wrong codes per account per {@link OTP_FAILURE_WINDOW_SECONDS}
 * (`rate-limiter-flexible` counting in the database, {@link sharedLimiter}, on the real clock): with a
 * window of three accepted codes that is a chance of 1.5e-5 per quarter hour for someone guessing.
 * Counted per account, not per address, so spreading the guesses over many addresses does not help;
 * kept in the database, so neither does spreading them over several instances of the server, nor
 * waiting for a restart.
 */
export function codeAttempts(db: Db): CodeAttempts {
  const limiter = sharedLimiter(db, {
    keyPrefix: 'otp',
    points: OTP_MAX_FAILURES,
    duration: OTP_FAILURE_WINDOW_SECONDS,
  });
  return {
    async assertAllowed(accountId) {
      const state = await limiter.get(accountId);
      if (state !== null && state.remainingPoints <= 0) throw locked(state.msBeforeNext);
    },
    async failed(accountId) {
      try {
        const state = await limiter.consume(accountId);
        if (state.remainingPoints <= 0) throw locked(state.msBeforeNext);
      } catch (error) {
        if (error instanceof RateLimiterRes) throw locked(error.msBeforeNext);
        throw error;
      }
    },
  };
}
