import { randomUUID } from 'node:crypto';
import type { Db } from '@stepup-example/db';
import { ACR_ELEVATED, type BankAcr } from '../assurance.js';
import { AuthServerError } from '../errors.js';
import type { SecretBox } from '../otp/secret-box.js';
import { otpFactors, type StoredOtp } from '../otp/store.js';
import { totpStep } from '../otp/totp.js';
import { changeFactors } from './change-factors.js';
import { activationTime, mayChangeCredentials } from './credential-rules.js';
import { credentialEvents } from './events.js';
import { stepUpRequired } from './refusals.js';

/** The name of an authenticator app in the settings and the audit trail. */
export const OTP_LABEL = 'Authenticator app';

/** What {@link otpContext} binds a sealed seed to: its account and its row. */
export function otpContext(accountId: string, id: string): string {
  return `otp:${accountId}:${id}`;
}

/**
 * Adds the account's authenticator app from a settings session at `sessionAcr`, once the customer has
 * typed a code from it (proof that the app holds this seed), in one transaction under the account's
 * lock: the rules of {@link mayChangeCredentials} (a session at the level the account holds), at most
 * one app per account, the seed sealed at rest, the code's step recorded as used, an audit entry. From
 * a session below the elevated level the app is pending for the cooling-off period ({@link activationTime}
 * with the elevated level): whoever copied a synced passkey cannot enrol their own app and approve
 * elevated transfers at once, and every sign-in meanwhile names it.
 *
 * Does NOT check that the session is recent: the caller does.
 * @throws AuthServerError `ERR_OTP_INVALID`, `ERR_OTP_EXISTS`, `ERR_STEP_UP_REQUIRED`.
 */
export async function addOtp(input: {
  db: Db;
  box: SecretBox;
  accountId: string;
  sessionAcr: BankAcr;
  secret: string;
  code: string;
  now: number;
  coolingOffMs: number;
}): Promise<StoredOtp> {
  const { accountId, sessionAcr, now } = input;
  const step = totpStep(input.secret, input.code, now);
  if (step === undefined) {
    throw new AuthServerError(
      'ERR_OTP_INVALID',
      'That code does not match. Type the 6 digits your authenticator app shows now.',
    );
  }
  return changeFactors(input.db, accountId, async (tx, { credentials, otp: existing }) => {
    if (existing) {
      throw new AuthServerError(
        'ERR_OTP_EXISTS',
        'Your account already has an authenticator app: remove it first.',
      );
    }
    const rule = mayChangeCredentials({ credentials, sessionAcr, now });
    if (rule.kind === 'step_up') throw stepUpRequired(rule.required);
    const id = randomUUID();
    const otp = {
      id,
      accountId,
      sealedSecret: input.box.seal(input.secret, otpContext(accountId, id)),
      label: OTP_LABEL,
      createdAt: now,
      activeAt: activationTime({ sessionAcr, now, coolingOffMs: input.coolingOffMs, reaches: ACR_ELEVATED }),
      addedByAcr: sessionAcr,
    };
    await otpFactors.insert(tx, otp);
    await otpFactors.useStep(tx, id, step, now);
    await credentialEvents.record(tx, {
      accountId,
      credentialId: id,
      kind: 'added',
      label: OTP_LABEL,
      detail: { acr: sessionAcr, class: 'otp', activeAt: otp.activeAt },
      at: now,
    });
    return { ...otp, lastStep: step, lastUsedAt: now };
  });
}
