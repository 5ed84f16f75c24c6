import { type BankLevel, levelNamed } from './levels.js';

/** Transfers above this many minor units (1,000.00) need the high level. */
export const HIGH_VALUE_THRESHOLD = 100_000;

/** Seconds a high-level sign-in stays good for sensitive operations (transfers above the threshold, new payees). */
export const HIGH_MAX_AGE = 300;

/** Largest single transfer: 1,000,000.00 in minor units. */
export const MAX_TRANSFER = 100_000_000;

/** What the bank's policy asks of a sign-in before an operation: a level, and how recent it must be. */
export interface LevelNeed {
  readonly level: BankLevel;
  /** Seconds since the sign-in (`auth_time`); no limit when absent. */
  readonly maxAge?: number;
}

/**
 * What a transfer of `amount` minor units needs: the standard level up to {@link HIGH_VALUE_THRESHOLD}
 * included, the high level used in the last {@link HIGH_MAX_AGE} seconds above it. The API enforces it;
 * the clients use it only to say in advance what will be asked.
 */
export function transferNeeds(amount: number): LevelNeed {
  return amount > HIGH_VALUE_THRESHOLD
    ? { level: levelNamed('high'), maxAge: HIGH_MAX_AGE }
    : { level: levelNamed('standard') };
}

/** What adding a payee needs: the high level used in the last {@link HIGH_MAX_AGE} seconds. */
export function payeeNeeds(): LevelNeed {
  return { level: levelNamed('high'), maxAge: HIGH_MAX_AGE };
}
