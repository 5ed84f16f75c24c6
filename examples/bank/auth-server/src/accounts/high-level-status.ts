import { ACR_HIGH } from '../assurance.js';
import { credentialAcr, isPending } from './credential-level.js';
import type { StoredCredential } from './store.js';

/** Why an account can or cannot reach the high level now, for the words on its pages. */
export type HighLevelStatus =
  | { kind: 'ready' }
  /** A key rated high waits out its cooling-off period (the one that becomes active first). */
  | { kind: 'pending'; credential: StoredCredential }
  /** A device-bound key whose model no FIDO metadata (nor a trusted local statement) lists yet. */
  | { kind: 'unrecognised'; credential: StoredCredential }
  | { kind: 'none' };

const UNLISTED = new Set(['metadata_not_found', 'metadata_unavailable']);

/** True for a device-bound, user-verified key rated standard only because nothing lists its model. */
export function isUnrecognisedModel(c: {
  backupEligible: boolean;
  class: StoredCredential['class'];
  reasons: readonly string[];
}): boolean {
  return !c.backupEligible && c.class === 'medium' && c.reasons.some((r) => UNLISTED.has(r));
}

/** What the account's credentials allow at the high level now, and if nothing, the nearest reason. */
export function highLevelStatus(credentials: readonly StoredCredential[], now: number): HighLevelStatus {
  if (credentials.some((c) => credentialAcr(c, now) === ACR_HIGH)) return { kind: 'ready' };
  const pending = credentials
    .filter((c) => c.class === 'high' && isPending(c, now))
    .sort((a, b) => a.activeAt - b.activeAt)[0];
  if (pending) return { kind: 'pending', credential: pending };
  const unrecognised = credentials.find(isUnrecognisedModel);
  if (unrecognised) return { kind: 'unrecognised', credential: unrecognised };
  return { kind: 'none' };
}
