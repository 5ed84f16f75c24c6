import type { Db } from '@stepup-example/db';
import type { BankAcr } from '../assurance.js';
import type { Classifier } from '../webauthn/classifier.js';
import type { RelyingParty } from '../webauthn/rp.js';
import type { RegistrationResponse } from '../webauthn/schemas.js';
import { changeFactors } from './change-factors.js';
import { activationTime, mayChangeCredentials } from './credential-rules.js';
import { credentialEvents } from './events.js';
import { stepUpRequired } from './refusals.js';
import { verifyNewCredential } from './register.js';
import { accounts, type StoredCredential } from './store.js';

/**
 * Adds a credential to an account from a settings session at `sessionAcr`, in one transaction under
 * the account's lock: the session must reach the level the account holds ({@link mayChangeCredentials}),
 * the registration is verified and classified (refused classes are not stored), and the new credential
 * becomes usable at the high level at {@link activationTime} (at once from a high session, after the
 * cooling-off period otherwise). Recorded in the account's audit trail.
 *
 * Does NOT check that the session is recent: the caller does.
 * @throws AuthServerError `ERR_STEP_UP_REQUIRED`, and those of {@link verifyNewCredential}.
 */
export async function addCredential(input: {
  db: Db;
  rp: RelyingParty;
  classifier: Classifier;
  accountId: string;
  sessionAcr: BankAcr;
  response: RegistrationResponse;
  expectedChallenge: string;
  nickname: string | undefined;
  now: number;
  coolingOffMs: number;
}): Promise<StoredCredential> {
  const { accountId, sessionAcr, now } = input;
  return changeFactors(input.db, accountId, async (tx, { credentials, otp }) => {
    const rule = mayChangeCredentials({ credentials, otp, sessionAcr, now });
    if (rule.kind === 'step_up') throw stepUpRequired(rule.required);
    const fresh = await verifyNewCredential({ ...input, db: tx });
    const credential: StoredCredential = {
      ...fresh.credential,
      accountId,
      activeAt: activationTime({ sessionAcr, now, coolingOffMs: input.coolingOffMs }),
      addedByAcr: sessionAcr,
      previousClass: null,
      reclassifiedAt: null,
    };
    await accounts.insertCredential(tx, credential);
    await credentialEvents.record(tx, {
      accountId,
      credentialId: credential.id,
      kind: 'added',
      label: credential.label,
      detail: { acr: sessionAcr, class: credential.class, activeAt: credential.activeAt },
      at: now,
    });
    return credential;
  });
}
