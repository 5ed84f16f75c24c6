import { ACR_HIGH, acrSatisfies, type BankAcr } from '../assurance.js';
import { credentialAcr, heldAcr, isPending } from './credential-level.js';
import type { StoredCredential } from './store.js';

/** Whether a settings session may make a change to the account's credentials. */
export type CredentialRuleDecision = { kind: 'allowed' } | { kind: 'step_up'; required: BankAcr };

/**
 * Adding a credential, or removing one that can still do something, needs a session at the highest
 * level the account holds now (NIST SP 800-63B §6.1.2.1: authenticate at the level the authenticator
 * will be used at). So a session that proved only a synced passkey cannot add or remove anything on an
 * account that holds an active security key. Pending credentials do not count towards the level held:
 * they do not reach the high level yet.
 *
 * Does NOT check that the sign-in is recent, nor the last-credential rule: the callers do.
 */
export function mayChangeCredentials(input: {
  credentials: readonly StoredCredential[];
  sessionAcr: BankAcr;
  now: number;
}): CredentialRuleDecision {
  const held = heldAcr(input.credentials, input.now);
  if (held === undefined || acrSatisfies(input.sessionAcr, held)) return { kind: 'allowed' };
  return { kind: 'step_up', required: held };
}

/**
 * {@link mayChangeCredentials} for a removal, except that a pending credential (still in its cooling-off
 * period) and one that reaches no level at all (disabled) can be removed from any recent session: that
 * is how a customer gets rid of a key someone else added with a copy of their synced passkey.
 */
export function mayRemoveCredential(input: {
  credentials: readonly StoredCredential[];
  target: StoredCredential;
  sessionAcr: BankAcr;
  now: number;
}): CredentialRuleDecision {
  if (isPending(input.target, input.now) || credentialAcr(input.target, input.now) === undefined) {
    return { kind: 'allowed' };
  }
  return mayChangeCredentials(input);
}

/**
 * When a credential added now may first be used at the high level. From a high session: at once (the
 * customer proved the level the key will be used at). From a session below high — only possible while
 * the account holds nothing above standard, so this is its first strong key, or one added before
 * metadata could rate it — after the cooling-off period, whatever its class today: a key whose model a
 * later BLOB lists (re-classification) does not skip the wait.
 */
export function activationTime(input: { sessionAcr: BankAcr; now: number; coolingOffMs: number }): number {
  return acrSatisfies(input.sessionAcr, ACR_HIGH) ? input.now : input.now + input.coolingOffMs;
}
