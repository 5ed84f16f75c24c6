import { ACR_HIGH, type BankAcr, LEVEL_WORDS } from '../assurance.js';
import { html, layout, type SafeHtml } from './html.js';

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
  /** For a known customer: whether one of their credentials reaches `required`. */
  hasEligible: boolean | undefined;
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

function noEligible(view: SignInView): SafeHtml {
  return html`<div class="notice warn" role="alert" data-testid="no-eligible">
    <strong>None of your passkeys reaches the ${view.required ? LEVEL_WORDS[view.required].name : ''} level.</strong>
    This needs a security key registered with Stepup Bank. You can add one from
    <a href="/account">your security settings</a>, then try again.</div>`;
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
</section>`;
  return layout({ title: 'Sign in', body });
}
