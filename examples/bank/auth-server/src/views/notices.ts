import { isPending } from '../accounts/credential-level.js';
import type { StoredCredential } from '../accounts/store.js';
import type { StoredOtp } from '../otp/store.js';
import { html, type SafeHtml } from './html.js';
import { formatActivation, formatTime } from './words.js';

/**
 * The announcements of credentials added during their cooling-off period, one sentence each: shown at
 * every sign-in until the key is active, so that a customer whose synced passkey was copied learns that
 * someone added a key, and can remove it before it reaches the high level.
 */
export function addedNotices(
  credentials: readonly StoredCredential[],
  now: number,
  otp?: Pick<StoredOtp, 'createdAt' | 'activeAt'>,
): string[] {
  const app =
    otp !== undefined && isPending(otp, now)
      ? [
          `An authenticator app was added to your account on ${formatTime(otp.createdAt)}. Its codes count for larger transfers from ${formatActivation(otp.activeAt)}. Not you? Remove it in your security settings.`,
        ]
      : [];
  return credentials
    .filter((c) => isPending(c, now))
    .map((c) =>
      c.class === 'high'
        ? `A security key “${c.label}” was added to your account on ${formatTime(c.createdAt)}. It becomes active for large transfers and new payees at ${formatActivation(c.activeAt)}. Not you? Remove it in your security settings.`
        : `A passkey “${c.label}” was added to your account on ${formatTime(c.createdAt)}. Not you? Remove it in your security settings.`,
    )
    .concat(app);
}

/** The announcements of added keys (before a sign-in for a known customer; after it, filled in by the script). */
export function noticesBlock(notices: readonly string[]): SafeHtml {
  return html`<div class="notice warn notices${notices.length > 0 ? ' shown' : ''}" role="alert" data-testid="added-notices">
    <strong>A new key was added to your account.</strong>
    <div data-notices>${notices.map((n) => html`<p>${n}</p>`)}</div>
    <a href="/account">Review your security settings</a>
  </div>`;
}
