import type { Db, TransactionScope } from '@stepup-example/db';
import { otpFactors, type StoredOtp } from '../otp/store.js';
import { accounts, type StoredCredential } from './store.js';

/** An account's factors as read under its lock, for the rules of a change to judge. */
export interface Factors {
  readonly credentials: StoredCredential[];
  readonly otp: StoredOtp | undefined;
}

/**
 * Runs `change` in one transaction under the account's lock, with its factors read after the lock is
 * taken: every change of credentials or authenticator app judges the state no concurrent change can
 * alter before it commits (two removals at once can never leave an account with no passkey).
 */
export function changeFactors<T>(
  db: Db,
  accountId: string,
  change: (tx: TransactionScope, factors: Factors) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await accounts.lock(tx, accountId);
    const credentials = await accounts.credentialsOf(tx, accountId);
    const otp = await otpFactors.of(tx, accountId);
    return change(tx, { credentials, otp });
  });
}
