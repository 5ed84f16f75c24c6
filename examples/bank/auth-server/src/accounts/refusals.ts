// The refusals of the level rules, in one place, worded for the customer.
import { type BankAcr, LEVEL_WORDS } from '../assurance.js';
import { AuthServerError } from '../errors.js';
import { formatActivation } from '../views/words.js';
import type { StoredCredential } from './store.js';

/** A credential (or a request) below the level the request needs. */
export function tooWeak(required: BankAcr | undefined): AuthServerError {
  return new AuthServerError(
    'ERR_CREDENTIAL_TOO_WEAK',
    required === undefined
      ? 'The app asked for a kind of sign-in that Stepup Bank does not offer.'
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
    `Changing your passkeys needs a sign-in at the ${LEVEL_WORDS[required].name} level: please confirm with your security key first.`,
  );
}
