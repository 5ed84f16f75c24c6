import type { HighLevelStatus } from '../accounts/high-level-status.js';
import { ACR_HIGH, type BankAcr, LEVEL_WORDS } from '../assurance.js';
import { html, layout, type SafeHtml } from './html.js';
import { noticesBlock } from './notices.js';
import { formatActivation } from './words.js';

/** What the sign-in page of an authorization request shows. */
export interface SignInView {
  uid: string;
  clientName: string;
  /** The level the request needs, or `undefined` when it asked only for levels the bank does not offer. */
  required: BankAcr | undefined;
  /** Why the customer is asked to sign in (the prompt's reasons). */
  reasons: readonly string[];
  /** The customer already signed in on this browser, if any. */
  accountName: string | undefined;
  /** For a known customer: whether one of their credentials reaches `required` now. */
  hasEligible: boolean | undefined;
  /** For a known customer: what stands between them and the high level. */
  high: HighLevelStatus | undefined;
  /** For a known customer: the announcements of keys added during their cooling-off period. */
  notices: readonly string[];
  /** The server runs in demo mode (the page says so). */
  demoTrust: boolean;
}

function why(view: SignInView): SafeHtml {
  const { required } = view;
  if (required === undefined) {
    return html`<div class="notice warn" role="alert"><strong>${view.clientName} asked for a kind of sign-in that Stepup Bank does not offer.</strong>
      You can go back to the app; nothing was changed.</div>`;
  }
  if (required === ACR_HIGH || view.reasons.includes('acr_insufficient')) {
    return html`<div class="notice info"><strong>Extra security check: ${LEVEL_WORDS[required].name} level.</strong>
      ${LEVEL_WORDS[required].description}</div>`;
  }
  if (view.reasons.includes('max_age') || view.reasons.includes('login_prompt')) {
    return html`<div class="notice info"><strong>Please confirm it's you.</strong>
      For your security, ${view.clientName} needs a recent sign-in.</div>`;
  }
  return html``;
}

// Says what really stands between the customer and the level: a key in its cooling-off period, a key
// whose model is not recognised yet, or no security key at all.
function noEligible(view: SignInView): SafeHtml {
  const level = view.required ? LEVEL_WORDS[view.required].name : '';
  const high = view.high;
  const detail =
    high?.kind === 'pending'
      ? html`Your security key “${high.credential.label}” becomes active at ${formatActivation(high.credential.activeAt)}:
    a new key waits a while before it can approve sensitive actions, in case someone else added it. Please try again then.`
      : high?.kind === 'unrecognised'
        ? html`Your security key “${high.credential.label}” is a model Stepup Bank does not recognise yet, so it cannot
    approve this for now. We check it again whenever new FIDO metadata arrives.`
        : html`This needs a security key registered with Stepup Bank. You can add one from
    <a href="/account">your security settings</a>, then try again.`;
  return html`<div class="notice warn" role="alert" data-testid="no-eligible">
    <strong>None of your passkeys reaches the ${level} level yet.</strong>
    ${detail}</div>`;
}

/** The sign-in page of an interaction: passkey sign-in, account opening, and the way back. */
export function signInPage(view: SignInView): string {
  const high = view.required === ACR_HIGH;
  const blocked = view.required === undefined || view.hasEligible === false;
  const base = `/interaction/${encodeURIComponent(view.uid)}`;
  const body = html`<section class="card" data-page="signin" data-base="${base}">
  <h1>${view.accountName ? `Welcome back, ${view.accountName}` : 'Sign in'}</h1>
  <p class="lead">to continue to <strong>${view.clientName}</strong></p>
  ${why(view)}
  ${noticesBlock(view.notices)}
  ${view.hasEligible === false ? noEligible(view) : ''}
  <p class="message" role="status" aria-live="polite" data-testid="message"></p>
  ${
    blocked
      ? html`<button class="button primary" type="button" data-action="abort" data-reason="unmet">Return to ${view.clientName}</button>`
      : html`<button class="button primary" type="button" data-action="signin">${high ? 'Use your security key' : 'Sign in with a passkey'}</button>`
  }
  ${
    blocked || high || view.accountName
      ? ''
      : html`<div class="divider"><span>New to Stepup Bank?</span></div>
  <form class="stack" data-action="signup">
    <label for="name">Your name</label>
    <input id="name" name="name" autocomplete="name" maxlength="64" required>
    <button class="button secondary" type="submit">Open an account with a passkey</button>
    <p class="hint">Your passkey is created by your phone, computer or security key. There is no password to remember.</p>
  </form>`
  }
  ${blocked ? '' : html`<button class="link" type="button" data-action="abort" data-reason="cancel">Cancel and return to ${view.clientName}</button>`}
  <button class="button primary" type="button" data-action="continue" hidden>Continue to ${view.clientName}</button>
</section>`;
  return layout({ title: 'Sign in', body, demoTrust: view.demoTrust });
}
