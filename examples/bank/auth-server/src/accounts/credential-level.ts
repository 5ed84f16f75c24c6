import {
  ACR_ELEVATED,
  ACR_HIGH,
  ACR_STANDARD,
  acrForClass,
  acrSatisfies,
  type BankAcr,
} from '../assurance.js';
import type { StoredOtp } from '../otp/store.js';
import type { StoredCredential } from './store.js';

/**
 * True while a credential waits out the cooling-off period that follows its addition from a session
 * below the level it would give (until `activeAt`): a security key can be used at the standard level,
 * not at the high one; an authenticator app's codes count for nothing; every sign-in says it was added,
 * and any recent settings session may remove it.
 */
export function isPending(credential: Pick<StoredCredential, 'activeAt'>, now: number): boolean {
  return now < credential.activeAt;
}

/**
 * The level a credential reaches now: its class's level (`high` → high, `medium` → standard, others
 * nothing), capped at the standard level while it is pending. Every sign-in and every rule uses this,
 * never the class alone.
 */
export function credentialAcr(
  credential: Pick<StoredCredential, 'class' | 'activeAt'>,
  now: number,
): BankAcr | undefined {
  const acr = acrForClass(credential.class);
  return acr === ACR_HIGH && isPending(credential, now) ? ACR_STANDARD : acr;
}

/** True when the account's authenticator app exists and is past its cooling-off period. */
export function otpActive(otp: Pick<StoredOtp, 'activeAt'> | undefined, now: number): boolean {
  return otp !== undefined && !isPending(otp, now);
}

/**
 * The level a passkey at `passkeyAcr` reaches together with a one-time code (`withCode`): a code lifts
 * a standard passkey to the elevated level and adds nothing to a higher one; a code alone reaches no
 * level (`undefined` without a passkey).
 */
export function combinedAcr(passkeyAcr: BankAcr | undefined, withCode: boolean): BankAcr | undefined {
  if (passkeyAcr === undefined || !withCode || acrSatisfies(passkeyAcr, ACR_ELEVATED)) return passkeyAcr;
  return ACR_ELEVATED;
}

/**
 * The highest level the account can reach now (`undefined`: none): its best credential, lifted to the
 * elevated level by an active authenticator app.
 */
export function heldAcr(
  credentials: readonly StoredCredential[],
  now: number,
  otp?: Pick<StoredOtp, 'activeAt'>,
): BankAcr | undefined {
  let held: BankAcr | undefined;
  for (const credential of credentials) {
    const acr = credentialAcr(credential, now);
    if (acr !== undefined && (held === undefined || acrSatisfies(acr, held))) held = acr;
  }
  return combinedAcr(held, otpActive(otp, now));
}
