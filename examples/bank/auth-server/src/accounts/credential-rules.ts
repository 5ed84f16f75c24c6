import { ACR_HIGH, acrSatisfies, type BankAcr } from '../assurance.js';
import type { StoredOtp } from '../otp/store.js';
import { credentialAcr, heldAcr, isPending } from './credential-level.js';
import type { StoredCredential } from './store.js';

/** Whether a settings session may make a change to the account's credentials. */
export type CredentialRuleDecision = { kind: 'allowed' } | { kind: 'step_up'; required: BankAcr };

/** What the rules look at: the account's passkeys and authenticator app, and the session's level now. */
export interface CredentialRuleInput {
  credentials: readonly StoredCredential[];
  otp?: StoredOtp | undefined;
  sessionAcr: BankAcr;
  now: number;
}

/**
 * Adding a credential or an authenticator app, or removing one that can still do something, needs a
 * session at the highest level the account holds now (NIST SP 800-63B §6.1.2.1: authenticate at the
 * level the authenticator will be used at). So a session that proved only a synced passkey cannot
 * add or remove anything on an account that holds an active security key, nor on one whose
 * authenticator app lifts it to the elevated level. Pending credentials and apps do not count towards
 * the level held: they do not reach it yet.
 *
 * Does NOT check that the sign-in is recent, nor the last-credential rule: the callers do.
 */
export function mayChangeCredentials(input: CredentialRuleInput): CredentialRuleDecision {
  const held = heldAcr(input.credentials, input.now, input.otp);
  if (held === undefined || acrSatisfies(input.sessionAcr, held)) return { kind: 'allowed' };
  return { kind: 'step_up', required: held };
}

/**
 * {@link mayChangeCredentials} for a removal, except that a pending credential (still in its cooling-off
 * period) and one that reaches no level at all (disabled) can be removed from any recent session: that
 * is how a customer gets rid of a key someone else added with a copy of their synced passkey.
 */
export function mayRemoveCredential(
  input: CredentialRuleInput & { target: StoredCredential },
): CredentialRuleDecision {
  if (isPending(input.target, input.now) || credentialAcr(input.target, input.now) === undefined) {
    return { kind: 'allowed' };
  }
  return mayChangeCredentials(input);
}

/** {@link mayRemoveCredential} for the authenticator app: a pending one goes from any recent session. */
export function mayRemoveOtp(input: CredentialRuleInput & { otp: StoredOtp }): CredentialRuleDecision {
  if (isPending(input.otp, input.now)) return { kind: 'allowed' };
  return mayChangeCredentials(input);
}

/**
 * When a credential added now may first be used at the level it gives (`reaches`: the high level for a
 * passkey or security key, whatever its class today; the elevated level for an authenticator app).
 * From a session at that level: at once (the customer proved the level it will be used at). From a
 * session below it — only possible while the account holds nothing at that level, so this is its first
 * such factor, or a key added before metadata could rate it — after the cooling-off period: a key whose
 * model a later BLOB lists (re-classification) does not skip the wait.
 */
export function activationTime(input: {
  sessionAcr: BankAcr;
  now: number;
  coolingOffMs: number;
  reaches?: BankAcr;
}): number {
  return acrSatisfies(input.sessionAcr, input.reaches ?? ACR_HIGH)
    ? input.now
    : input.now + input.coolingOffMs;
}
