import { type BankLevel, levelNamed } from './levels.js';

/** Transfers above this many minor units (1,000.00) need the elevated level, approved for the transfer. */
export const ELEVATED_THRESHOLD = 100_000;

/** Transfers above this many minor units (10,000.00) need the high level, approved for the transfer. */
export const HIGH_VALUE_THRESHOLD = 1_000_000;

/**
 * Seconds a step-up (elevated or high) stays good for the operation that asked for it: the sign-in,
 * or the approval, must be this recent.
 */
export const STEP_UP_MAX_AGE = 300;

/** A payee added less than this many seconds ago (24 hours) is new: any transfer to it needs the high level. */
export const NEW_PAYEE_SECONDS = 24 * 3600;

/** Largest single transfer: 1,000,000.00 in minor units. */
export const MAX_TRANSFER = 100_000_000;

/** What the bank's policy asks of a sign-in before an operation: a level, and how recent it must be. */
export interface LevelNeed {
  readonly level: BankLevel;
  /** Seconds since the sign-in (`auth_time`); no limit when absent. */
  readonly maxAge?: number;
}

/** What a transfer needs: a {@link LevelNeed}, and whether the token must carry an approval of exactly this transfer. */
export interface TransferNeed extends LevelNeed {
  /**
   * The access token must carry, approved by the customer, the RFC 9396 `authorization_details` of this
   * transfer (amount, currency, payee), and is good for it once: every transfer that needs a step-up.
   */
  readonly bound: boolean;
}

/** True when a payee created at `createdAt` (epoch ms) is still new at `now` (epoch ms). See {@link NEW_PAYEE_SECONDS}. */
export function isNewPayee(createdAt: number, now: number): boolean {
  return now - createdAt < NEW_PAYEE_SECONDS * 1000;
}

/**
 * What a transfer of `amount` minor units needs, in the bank's ladder:
 *
 * | transfer | level | approval |
 * |---|---|---|
 * | up to {@link ELEVATED_THRESHOLD} (1,000.00), to an own account or a payee older than 24 hours | standard | none |
 * | above it, up to {@link HIGH_VALUE_THRESHOLD} (10,000.00) | elevated, within {@link STEP_UP_MAX_AGE} s | of this transfer, once |
 * | above {@link HIGH_VALUE_THRESHOLD}, or to a payee added in the last 24 hours (`newPayee`) | high, within {@link STEP_UP_MAX_AGE} s | of this transfer, once |
 *
 * The API enforces it; the clients use it only to say in advance what will be asked.
 */
export function transferNeeds(amount: number, options: { readonly newPayee?: boolean } = {}): TransferNeed {
  if (amount > HIGH_VALUE_THRESHOLD || options.newPayee === true) {
    return { level: levelNamed('high'), maxAge: STEP_UP_MAX_AGE, bound: true };
  }
  if (amount > ELEVATED_THRESHOLD) {
    return { level: levelNamed('elevated'), maxAge: STEP_UP_MAX_AGE, bound: true };
  }
  return { level: levelNamed('standard'), bound: false };
}

/** What adding a payee needs: the high level used in the last {@link STEP_UP_MAX_AGE} seconds. */
export function payeeNeeds(): LevelNeed {
  return { level: levelNamed('high'), maxAge: STEP_UP_MAX_AGE };
}
