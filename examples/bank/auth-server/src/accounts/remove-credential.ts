import type { Db } from '@stepup-example/db';
import type { BankAcr } from '../assurance.js';
import { AuthServerError } from '../errors.js';
import { changeFactors } from './change-factors.js';
import { mayRemoveCredential } from './credential-rules.js';
import { credentialEvents } from './events.js';
import { stepUpRequired } from './refusals.js';
import { accounts, type StoredCredential } from './store.js';

/**
 * Removes one of an account's credentials from a settings session at `sessionAcr`, in one transaction
 * under the account's lock: never the last one, and only from a session at the level the account holds
 * unless the credential is pending or disabled ({@link mayRemoveCredential}). Recorded in the audit trail.
 *
 * Does NOT check that the session is recent: the caller does.
 * @throws AuthServerError `ERR_NOT_FOUND`, `ERR_LAST_CREDENTIAL`, `ERR_STEP_UP_REQUIRED`.
 */
export async function removeCredential(input: {
  db: Db;
  accountId: string;
  credentialId: string;
  sessionAcr: BankAcr;
  now: number;
}): Promise<StoredCredential> {
  const { accountId, sessionAcr, now } = input;
  return changeFactors(input.db, accountId, async (tx, { credentials, otp }) => {
    const target = credentials.find((c) => c.id === input.credentialId);
    if (!target) throw new AuthServerError('ERR_NOT_FOUND', 'This passkey is not on your account.');
    if (credentials.length === 1) {
      throw new AuthServerError(
        'ERR_LAST_CREDENTIAL',
        'You cannot remove your only passkey: add another one first.',
      );
    }
    const rule = mayRemoveCredential({ credentials, otp, target, sessionAcr, now });
    if (rule.kind === 'step_up') throw stepUpRequired(rule.required);
    await accounts.deleteCredential(tx, accountId, target.id);
    await credentialEvents.record(tx, {
      accountId,
      credentialId: target.id,
      kind: 'removed',
      label: target.label,
      detail: { acr: sessionAcr, class: target.class },
      at: now,
    });
    return target;
  });
}
