import type { Db } from '@stepup-example/db';
import type { BankAcr } from '../assurance.js';
import { AuthServerError } from '../errors.js';
import { otpFactors, type StoredOtp } from '../otp/store.js';
import { changeFactors } from './change-factors.js';
import { mayRemoveOtp } from './credential-rules.js';
import { credentialEvents } from './events.js';
import { stepUpRequired } from './refusals.js';

/**
 * Removes the account's authenticator app from a settings session at `sessionAcr`, in one transaction
 * under the account's lock: an active one only from a session at the level the account holds, a pending
 * one from any ({@link mayRemoveOtp}). Recorded in the audit trail.
 *
 * Does NOT check that the session is recent: the caller does.
 * @throws AuthServerError `ERR_NOT_FOUND`, `ERR_STEP_UP_REQUIRED`.
 */
export async function removeOtp(input: {
  db: Db;
  accountId: string;
  sessionAcr: BankAcr;
  now: number;
}): Promise<StoredOtp> {
  const { accountId, sessionAcr, now } = input;
  return changeFactors(input.db, accountId, async (tx, { credentials, otp }) => {
    if (!otp) throw new AuthServerError('ERR_NOT_FOUND', 'Your account has no authenticator app.');
    const rule = mayRemoveOtp({ credentials, otp, sessionAcr, now });
    if (rule.kind === 'step_up') throw stepUpRequired(rule.required);
    await otpFactors.delete(tx, accountId, otp.id);
    await credentialEvents.record(tx, {
      accountId,
      credentialId: otp.id,
      kind: 'removed',
      label: otp.label,
      detail: { acr: sessionAcr, class: 'otp' },
      at: now,
    });
    return otp;
  });
}
