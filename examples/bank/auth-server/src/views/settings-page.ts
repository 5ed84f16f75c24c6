import { isPending } from '../accounts/credential-level.js';
import { mayRemoveCredential, mayRemoveOtp } from '../accounts/credential-rules.js';
import type { CredentialEvent } from '../accounts/events.js';
import { highLevelStatus } from '../accounts/high-level-status.js';
import type { Account, StoredCredential } from '../accounts/store.js';
import { ACR_ELEVATED, type BankAcr, LEVEL_WORDS } from '../assurance.js';
import type { StoredOtp } from '../otp/store.js';
import { html, layout, type SafeHtml } from './html.js';
import { noticesBlock } from './notices.js';
import { className, describeCredential, formatActivation, formatTime } from './words.js';

/** The sign-in step in front of the security settings (they need a recent sign-in). */
export function accountSignInPage(input: { again: boolean; demoTrust: boolean }): string {
  const body = html`<section class="card" data-page="account-signin">
  <h1>Security settings</h1>
  ${
    input.again
      ? html`<div class="notice info"><strong>Please confirm it's you.</strong> Changing your passkeys needs a sign-in from the last few minutes.</div>`
      : html`<p class="lead">Sign in to see and manage your passkeys and security keys.</p>`
  }
  <p class="message" role="status" aria-live="polite" data-testid="message"></p>
  <button class="button primary" type="button" data-action="account-signin">Sign in with a passkey</button>
</section>`;
  return layout({ title: 'Security settings', body, demoTrust: input.demoTrust });
}

/** What the security settings show. */
export interface SettingsView {
  account: Account;
  credentials: readonly StoredCredential[];
  /** The account's authenticator app, if it has one. */
  otp: StoredOtp | undefined;
  /** The level the settings session holds now. */
  sessionAcr: BankAcr;
  /** The level changes need, when the session is below it (`undefined`: it may change anything). */
  stepUpTo: BankAcr | undefined;
  events: readonly CredentialEvent[];
  notices: readonly string[];
  demoTrust: boolean;
  /** The bank web app (the way back). */
  webOrigin: string;
  now: number;
}

function history(c: StoredCredential): SafeHtml | '' {
  if (c.reclassifiedAt === null || c.previousClass === null) return '';
  return html`<p class="credential-history" data-testid="reclassified">Re-rated on ${formatTime(c.reclassifiedAt)}:
    was ${className(c.previousClass)}, now ${className(c.class)}.</p>`;
}

function credentialItem(c: StoredCredential, view: SettingsView) {
  const d = describeCredential(c, view.now);
  // The button only where the server would accept the removal (the same rule decides).
  const rule = mayRemoveCredential({
    credentials: view.credentials,
    otp: view.otp,
    target: c,
    sessionAcr: view.sessionAcr,
    now: view.now,
  });
  const removable = view.credentials.length > 1 && rule.kind === 'allowed';
  return html`<li class="credential" data-testid="credential" data-class="${c.class}" data-pending="${isPending(c, view.now) ? 'true' : 'false'}">
  <div class="credential-main">
    <span class="credential-name">${c.label}</span>
    <span class="badge ${d.tone}">${d.badge}</span>
    <p class="credential-words">${d.words}</p>
    ${history(c)}
    <p class="credential-meta">Added ${formatTime(c.createdAt)} · last used ${formatTime(c.lastUsedAt)}</p>
  </div>
  ${
    removable
      ? html`<button class="button small ghost" type="button" data-action="remove" data-id="${c.id}">Remove</button>`
      : ''
  }
</li>`;
}

function levelNotice(view: SettingsView): SafeHtml | '' {
  const status = highLevelStatus(view.credentials, view.now);
  switch (status.kind) {
    case 'ready':
      return '';
    case 'pending':
      return html`<div class="notice info" data-testid="level-notice"><strong>Your security key becomes active at ${formatActivation(status.credential.activeAt)}.</strong>
    “${status.credential.label}” can approve large transfers and new payees from then on. New keys wait a while, in case someone else added them.</div>`;
    case 'unrecognised':
      return html`<div class="notice info" data-testid="level-notice"><strong>This model is not recognised yet.</strong>
    “${status.credential.label}” works for everyday banking. It will approve large transfers once the FIDO metadata lists its model: we check whenever new metadata arrives.</div>`;
    case 'none':
      return html`<div class="notice info" data-testid="level-notice"><strong>Add a security key</strong> to approve large transfers and new payees.
    Synced passkeys are convenient, but a security key never leaves your hands.</div>`;
  }
}

function stepUpNotice(view: SettingsView): SafeHtml | '' {
  if (view.stepUpTo === undefined) return '';
  if (view.stepUpTo === ACR_ELEVATED) {
    return html`<div class="notice warn" data-testid="step-up-notice"><strong>Confirm with a code from your authenticator app to make changes.</strong>
    You signed in at the ${LEVEL_WORDS[view.sessionAcr].name} level. Adding or removing passkeys needs the
    ${LEVEL_WORDS[view.stepUpTo].name} level, the highest your account holds. You can still remove a key or app that is not active yet.
    <form class="row" data-action="otp-confirm">
      <label class="sr-only" for="confirm-code">Code from your authenticator app</label>
      <input id="confirm-code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" placeholder="6-digit code" required>
      <button class="button secondary" type="submit">Confirm with a code</button>
    </form></div>`;
  }
  return html`<div class="notice warn" data-testid="step-up-notice"><strong>Confirm with your security key to make changes.</strong>
    You signed in at the ${LEVEL_WORDS[view.sessionAcr].name} level. Adding or removing passkeys needs the
    ${LEVEL_WORDS[view.stepUpTo].name} level, the highest your account holds. You can still remove a key that is not active yet.
    <button class="button secondary" type="button" data-action="account-step-up" data-acr="${view.stepUpTo}">Confirm with your security key</button></div>`;
}

const EVENT_WORDS: Record<CredentialEvent['kind'], string> = {
  added: 'added',
  removed: 'removed',
  reclassified: 're-rated',
};

function otpItem(otp: StoredOtp, view: SettingsView): SafeHtml {
  const pending = view.now < otp.activeAt;
  const rule = mayRemoveOtp({
    credentials: view.credentials,
    otp,
    sessionAcr: view.sessionAcr,
    now: view.now,
  });
  return html`<li class="credential" data-testid="otp" data-pending="${pending ? 'true' : 'false'}">
  <div class="credential-main">
    <span class="credential-name">${otp.label}</span>
    <span class="badge ${pending ? 'pending' : 'standard'}">${pending ? 'Not active yet' : 'Elevated'}</span>
    <p class="credential-words">${
      pending
        ? `One-time codes. They count for larger transfers from ${formatActivation(otp.activeAt)}: a waiting period protects you in case someone else added this app.`
        : 'One-time codes. With your passkey they approve transfers up to €10,000.00 to accounts and payees you know.'
    }</p>
    <p class="credential-meta">Added ${formatTime(otp.createdAt)} · last used ${formatTime(otp.lastUsedAt)}</p>
  </div>
  ${rule.kind === 'allowed' ? html`<button class="button small ghost" type="button" data-action="otp-remove">Remove</button>` : ''}
</li>`;
}

// The authenticator app: listed when there is one; otherwise a way to add it (where the rules allow).
function otpSection(view: SettingsView): SafeHtml {
  if (view.otp)
    return html`<h2 class="hint">Authenticator app</h2><ul class="credentials">${otpItem(view.otp, view)}</ul>`;
  if (view.stepUpTo !== undefined) return html``;
  return html`<h2 class="hint">Authenticator app</h2>
  <p class="hint">Codes from an authenticator app (with your passkey) approve transfers up to €10,000.00.</p>
  <button class="button secondary" type="button" data-action="otp-start">Add an authenticator app</button>
  <div class="otp-enrol" data-testid="otp-enrol" hidden>
    <p>Scan this code with your authenticator app, or type the key below.</p>
    <img data-otp-qr alt="QR code to add Stepup Bank to your authenticator app" width="200" height="200">
    <p>Key: <code data-otp-secret data-testid="otp-secret"></code></p>
    <form class="stack" data-action="otp-verify">
      <label for="otp-code">Code from the app</label>
      <input id="otp-code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required>
      <button class="button primary" type="submit">Add the app</button>
    </form>
  </div>`;
}

function activity(events: readonly CredentialEvent[]): SafeHtml | '' {
  if (events.length === 0) return '';
  return html`<h2 class="hint">Recent changes</h2>
  <ul class="activity" data-testid="activity">${events.map(
    (e) => html`<li>${formatTime(e.at)} · “${e.label}” ${EVENT_WORDS[e.kind]}</li>`,
  )}</ul>`;
}

/** The security settings: the customer's authenticators with their level, add and remove, the recent changes. */
export function accountPage(view: SettingsView): string {
  const body = html`<section class="card wide" data-page="account">
  <div class="card-head">
    <h1>Security settings</h1>
    <button class="button small ghost" type="button" data-action="signout">Sign out</button>
  </div>
  <p class="lead">Hello ${view.account.name}. These are the passkeys and security keys that can open your account.
    <a href="${`${view.webOrigin}/`}" data-testid="back-to-bank">Back to Stepup Bank</a></p>
  ${noticesBlock(view.notices)}
  ${levelNotice(view)}
  ${stepUpNotice(view)}
  <p class="message" role="status" aria-live="polite" data-testid="message"></p>
  <ul class="credentials">${view.credentials.map((c) => credentialItem(c, view))}</ul>
  ${otpSection(view)}
  ${
    view.stepUpTo === undefined
      ? html`<form class="stack inline" data-action="add-credential">
    <label for="nickname">Name for the new key (optional)</label>
    <div class="row">
      <input id="nickname" name="nickname" maxlength="40" placeholder="e.g. Blue key on my key ring">
      <button class="button primary" type="submit">Add a passkey or security key</button>
    </div>
  </form>`
      : ''
  }
  ${activity(view.events)}
</section>`;
  return layout({ title: 'Security settings', body, demoTrust: view.demoTrust });
}
