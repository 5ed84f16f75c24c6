import { ACR_HIGH, ACR_STANDARD, acrForClass, acrSatisfies, type BankAcr } from '../assurance.js';
import type { StoredCredential } from './store.js';

/**
 * True while a credential waits out the cooling-off period that follows its addition from a session
 * below the high level (until `activeAt`): it can be used at the standard level, not at the high one,
 * every sign-in says it was added, and any recent settings session may remove it.
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

/** The highest level any of the account's credentials reaches now (`undefined`: none reaches any). */
export function heldAcr(credentials: readonly StoredCredential[], now: number): BankAcr | undefined {
  let held: BankAcr | undefined;
  for (const credential of credentials) {
    const acr = credentialAcr(credential, now);
    if (acr !== undefined && (held === undefined || acrSatisfies(acr, held))) held = acr;
  }
  return held;
}
