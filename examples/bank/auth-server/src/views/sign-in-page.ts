import type { Blocked, SignInStep } from '../accounts/sign-in-plan.js';
import { ACR_ELEVATED, ACR_HIGH, ACR_STANDARD, type BankAcr, LEVEL_WORDS } from '../assurance.js';
import type { Approval } from '../oidc/approval.js';
import { approvalCard } from './approval.js';
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
  /** The customer already known in this interaction (signed in on this browser, or by a passkey), if any. */
  accountName: string | undefined;
  /** What comes next: a passkey, a code, or nothing the customer has. */
  step: SignInStep;
  /** The transfer the request asks to approve, if any. */
  approval: Approval | undefined;
  /** For a known customer: the announcements of keys and apps added during their cooling-off period. */
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
  if (required !== ACR_STANDARD || view.reasons.includes('acr_insufficient')) {
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
// whose model is not recognised yet, no security key, no authenticator app (or one not active yet).
function blockedNotice(view: SignInView, blocked: Blocked): SafeHtml {
  const level = view.required ? LEVEL_WORDS[view.required].name : '';
  if (blocked.reason === 'unknown-level') return html``;
  if (blocked.reason === 'no-code') {
    const detail =
      blocked.otp === undefined
        ? html`This needs a code from an authenticator app (or your security key), and your account has neither yet.
    You can add an authenticator app in <a href="/account">your security settings</a>, then try again.`
        : html`Your authenticator app becomes active at ${formatActivation(blocked.otp.activeAt)}: a new app waits a while
    before it can approve larger transfers, in case someone else added it. Please try again then.`;
    return html`<div class="notice warn" role="alert" data-testid="no-eligible">
    <strong>You cannot reach the ${level} level yet.</strong>
    ${detail}</div>`;
  }
  const high = blocked.high;
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

function passkeyLabel(view: SignInView, reaches: BankAcr): string {
  const key = reaches === ACR_HIGH;
  if (view.approval) return key ? 'Approve with your security key' : 'Approve with your passkey';
  return key ? 'Use your security key' : 'Sign in with a passkey';
}

// The one-time code: shown at once when it is the next step, or after the passkey when it becomes one.
function codeForm(view: SignInView): SafeHtml | '' {
  if (view.required !== ACR_ELEVATED) return '';
  const shown = view.step.kind === 'code';
  return html`<form class="stack" data-action="code" data-testid="code-form"${shown ? '' : html` hidden`}>
    <label for="code">Code from your authenticator app</label>
    <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required>
    <button class="button primary" type="submit">${view.approval ? 'Approve' : 'Confirm'}</button>
    <p class="hint">Open the app you set up for Stepup Bank and type the 6 digits it shows now.</p>
  </form>`;
}

function mainAction(view: SignInView): SafeHtml | '' {
  const { step } = view;
  if (step.kind === 'blocked') {
    return html`<button class="button primary" type="button" data-action="abort" data-reason="unmet">Return to ${view.clientName}</button>`;
  }
  if (step.kind !== 'passkey') return '';
  const label = passkeyLabel(view, step.reaches);
  return html`<button class="button primary" type="button" data-action="signin">${label}</button>`;
}

function signUpForm(view: SignInView): SafeHtml | '' {
  const { step } = view;
  const open = step.kind === 'passkey' && step.allow === undefined && step.reaches !== ACR_HIGH;
  if (!open || view.approval || view.accountName || view.required === ACR_ELEVATED) return '';
  return html`<div class="divider"><span>New to Stepup Bank?</span></div>
  <form class="stack" data-action="signup">
    <label for="name">Your name</label>
    <input id="name" name="name" autocomplete="name" maxlength="64" required>
    <button class="button secondary" type="submit">Open an account with a passkey</button>
    <p class="hint">Your passkey is created by your phone, computer or security key. There is no password to remember.</p>
  </form>`;
}

/** The sign-in page of an interaction: the transfer to approve, the next factor, account opening, the way back. */
export function signInPage(view: SignInView): string {
  const blocked = view.step.kind === 'blocked';
  const base = `/interaction/${encodeURIComponent(view.uid)}`;
  const title = view.approval
    ? 'Approve a transfer'
    : view.accountName
      ? `Welcome back, ${view.accountName}`
      : 'Sign in';
  const body = html`<section class="card" data-page="signin" data-base="${base}" data-step="${view.step.kind}">
  <h1>${title}</h1>
  <p class="lead">to continue to <strong>${view.clientName}</strong></p>
  ${why(view)}
  ${view.approval ? approvalCard(view.approval) : ''}
  ${noticesBlock(view.notices)}
  ${view.step.kind === 'blocked' ? blockedNotice(view, view.step) : ''}
  <p class="message" role="status" aria-live="polite" data-testid="message"></p>
  ${mainAction(view)}
  ${codeForm(view)}
  ${signUpForm(view)}
  ${blocked ? '' : html`<button class="link" type="button" data-action="abort" data-reason="cancel">Cancel and return to ${view.clientName}</button>`}
  <button class="button primary" type="button" data-action="continue" hidden>Continue to ${view.clientName}</button>
</section>`;
  return layout({ title: view.approval ? 'Approve a transfer' : 'Sign in', body, demoTrust: view.demoTrust });
}
