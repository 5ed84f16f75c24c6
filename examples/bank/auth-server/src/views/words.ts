import { z } from 'zod';
import { isUnrecognisedModel } from '../accounts/high-level-status.js';
import type { AuthenticatorClass } from '../assurance.js';

/** What {@link describeCredential} needs to know of a credential. */
export interface DescribedCredential {
  class: AuthenticatorClass;
  backupEligible: boolean;
  reasons: readonly string[];
  evidence: unknown;
  activeAt: number;
}

const LocalSource = z.object({ metadata: z.object({ source: z.literal('local') }) });

/** True when a local statement (demo trust), not the FIDO BLOB, rated the credential. */
export function ratedByDemoTrust(evidence: unknown): boolean {
  return LocalSource.safeParse(evidence).success;
}

/** The customer's name for a class. */
export function className(cls: AuthenticatorClass): string {
  if (cls === 'high') return 'High security';
  if (cls === 'medium') return 'Standard';
  return 'Disabled';
}

/** How a credential is described to the customer now: a short badge and one sentence. */
export function describeCredential(
  c: DescribedCredential,
  now: number,
): { badge: string; tone: 'high' | 'standard' | 'pending' | 'off'; words: string } {
  switch (c.class) {
    case 'high':
      if (now < c.activeAt) {
        return {
          badge: 'Not active yet',
          tone: 'pending',
          words: `Security key. It can approve large transfers and new payees from ${formatActivation(c.activeAt)}: a waiting period protects you in case someone else added it. Until then it works for everyday banking.`,
        };
      }
      return ratedByDemoTrust(c.evidence)
        ? {
            badge: 'High security · demo trust',
            tone: 'high',
            words:
              "Chrome's virtual security key, trusted by this demonstration server only. It can approve large transfers and new payees here.",
          }
        : {
            badge: 'High security',
            tone: 'high',
            words: 'Security key. Strongest protection: it can approve large transfers and new payees.',
          };
    case 'medium':
      if (c.backupEligible) {
        return {
          badge: 'Standard',
          tone: 'standard',
          words:
            'Synced passkey. Works on all your devices through your password manager or cloud account. Fine for everyday banking.',
        };
      }
      return isUnrecognisedModel(c)
        ? {
            badge: 'Standard',
            tone: 'standard',
            words:
              'Security key kept on one device. This model is not recognised yet, so for now it works for everyday banking only. We check it again whenever new FIDO metadata arrives.',
          }
        : {
            badge: 'Standard',
            tone: 'standard',
            words:
              'Passkey kept on one device. Fine for everyday banking. We could not confirm its model, so it cannot approve sensitive actions.',
          };
    case 'rejected':
      return {
        badge: 'Disabled',
        tone: 'off',
        words:
          'A security problem was reported for this model of authenticator, so it can no longer be used. Please remove it and add another.',
      };
    case 'low':
      return {
        badge: 'Disabled',
        tone: 'off',
        words: 'This authenticator does not check your PIN or fingerprint, so it cannot be used.',
      };
  }
}

/** A default name for a new credential when the customer gives none. */
export function defaultLabel(input: {
  backupEligible: boolean;
  high: boolean;
  description?: string | undefined;
}) {
  // A synced passkey is named for what it is, whatever its provider's model is called.
  if (input.backupEligible) return 'Synced passkey';
  if (input.description) return input.description.slice(0, 60);
  return input.high ? 'Security key' : 'Passkey';
}

/** A date and time for the pages, to the minute (UTC, so that tests and servers agree). */
export function formatTime(ms: number | null): string {
  if (ms === null) return 'never';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** When a pending key becomes active, rounded up to the minute: never earlier than it really does. */
export function formatActivation(ms: number): string {
  return formatTime(Math.ceil(ms / 60_000) * 60_000);
}
