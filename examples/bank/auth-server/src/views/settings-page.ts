import type { Account, StoredCredential } from '../accounts/store.js';
import { html, layout } from './html.js';
import { describeCredential, formatTime } from './words.js';

/** The sign-in step in front of the security settings (they need a recent sign-in). */
export function accountSignInPage(input: { again: boolean }): string {
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
  return layout({ title: 'Security settings', body });
}

function credentialItem(c: StoredCredential, removable: boolean) {
  const d = describeCredential(c);
  return html`<li class="credential" data-testid="credential" data-class="${c.class}">
  <div class="credential-main">
    <span class="credential-name">${c.label}</span>
    <span class="badge ${d.tone}">${d.badge}</span>
    <p class="credential-words">${d.words}</p>
    <p class="credential-meta">Added ${formatTime(c.createdAt)} · last used ${formatTime(c.lastUsedAt)}</p>
  </div>
  ${
    removable
      ? html`<button class="button small ghost" type="button" data-action="remove" data-id="${c.id}">Remove</button>`
      : ''
  }
</li>`;
}

/** The security settings: the customer's authenticators with their level, add and remove. */
export function accountPage(input: { account: Account; credentials: readonly StoredCredential[] }): string {
  const { account, credentials } = input;
  const hasHigh = credentials.some((c) => c.class === 'high');
  const body = html`<section class="card wide" data-page="account">
  <div class="card-head">
    <h1>Security settings</h1>
    <button class="button small ghost" type="button" data-action="signout">Sign out</button>
  </div>
  <p class="lead">Hello ${account.name}. These are the passkeys and security keys that can open your account.</p>
  ${
    hasHigh
      ? ''
      : html`<div class="notice info"><strong>Add a security key</strong> to approve large transfers and new payees.
    Synced passkeys are convenient, but a security key never leaves your hands.</div>`
  }
  <p class="message" role="status" aria-live="polite" data-testid="message"></p>
  <ul class="credentials">${credentials.map((c) => credentialItem(c, credentials.length > 1))}</ul>
  <form class="stack inline" data-action="add-credential">
    <label for="nickname">Name for the new key (optional)</label>
    <div class="row">
      <input id="nickname" name="nickname" maxlength="40" placeholder="e.g. Blue key on my key ring">
      <button class="button primary" type="submit">Add a passkey or security key</button>
    </div>
  </form>
</section>`;
  return layout({ title: 'Security settings', body });
}
