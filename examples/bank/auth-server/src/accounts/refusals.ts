// The refusals of the level rules, in one place, worded for the customer.
import { ACR_ELEVATED, type BankAcr, LEVEL_WORDS } from '../assurance.js';
import { AuthServerError } from '../errors.js';
import type { StoredOtp } from '../otp/store.js';
import { formatActivation } from '../views/words.js';
import type { StoredCredential } from './store.js';

/** A credential (or a request) below the level the request needs. */
export function tooWeak(required: BankAcr | undefined): AuthServerError {
  return new AuthServerError(
    'ERR_CREDENTIAL_TOO_WEAK',
    required === undefined
      ? 'The app asked for a kind of sign-in that Stepup Bank does not offer.'
      : required === ACR_ELEVATED
        ? 'This passkey does not reach the level this action needs. Please use another passkey or your security key.'
        : 'This passkey does not reach the level this action needs. Please use your security key.',
  );
}

/** A key rated high that is still in its cooling-off period, used where the high level is needed. */
export function stillPending(credential: Pick<StoredCredential, 'label' | 'activeAt'>): AuthServerError {
  return new AuthServerError(
    'ERR_CREDENTIAL_PENDING',
    `Your security key “${credential.label}” becomes active at ${formatActivation(credential.activeAt)}. Until then it works for everyday banking only.`,
  );
}

/** A change to the account's credentials from a session below the level the account holds. */
export function stepUpRequired(required: BankAcr): AuthServerError {
  return new AuthServerError(
    'ERR_STEP_UP_REQUIRED',
    required === ACR_ELEVATED
      ? `Changing your passkeys needs a sign-in at the ${LEVEL_WORDS[required].name} level: please confirm with a code from your authenticator app first.`
      : `Changing your passkeys needs a sign-in at the ${LEVEL_WORDS[required].name} level: please confirm with your security key first.`,
  );
}

/**
 * The elevated level asked for, and the customer has no authenticator app that could give the code
 * (none, or one still in its cooling-off period) and no security key to use instead.
 */
export function noSecondFactor(otp: Pick<StoredOtp, 'activeAt'> | undefined): AuthServerError {
  return otp === undefined
    ? new AuthServerError(
        'ERR_OTP_MISSING',
        'This needs a code from an authenticator app, and your account has none yet. You can add one in your security settings.',
      )
    : new AuthServerError(
        'ERR_OTP_PENDING',
        `Your authenticator app becomes active at ${formatActivation(otp.activeAt)}. Until then it cannot approve this.`,
      );
}

/** A request for a step this sign-in is not at (a code before the passkey, a passkey when a code is due). */
export function wrongStep(): AuthServerError {
  return new AuthServerError(
    'ERR_WRONG_STEP',
    'This step of the sign-in is not the next one. Please reload the page.',
  );
}
