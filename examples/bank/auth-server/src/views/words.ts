import type { StoredCredential } from '../accounts/store.js';

/** How a credential is described to the customer: a short badge and one sentence. */
export function describeCredential(c: Pick<StoredCredential, 'class' | 'backupEligible'>): {
  badge: string;
  tone: 'high' | 'standard' | 'off';
  words: string;
} {
  switch (c.class) {
    case 'high':
      return {
        badge: 'High security',
        tone: 'high',
        words: 'Security key. Strongest protection: it can approve large transfers and new payees.',
      };
    case 'medium':
      return c.backupEligible
        ? {
            badge: 'Standard',
            tone: 'standard',
            words:
              'Synced passkey. Works on all your devices through your password manager or cloud account. Fine for everyday banking.',
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

/** A date and time for the account page (UTC, so that tests and servers agree). */
export function formatTime(ms: number | null): string {
  if (ms === null) return 'never';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
