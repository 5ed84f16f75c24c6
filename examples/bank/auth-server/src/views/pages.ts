import { html, layout, SafeHtml } from './html.js';

/** A plain message page (errors, expired links). Never shows internal details. */
export function messagePage(input: {
  title: string;
  message: string;
  back?: { href: string; label: string };
}) {
  const body = html`<section class="card" data-page="message">
  <h1>${input.title}</h1>
  <p class="lead">${input.message}</p>
  ${input.back ? html`<a class="button secondary" href="${input.back.href}">${input.back.label}</a>` : ''}
</section>`;
  return layout({ title: input.title, body, scripts: false });
}

/** The landing page of the sign-in service. */
export function homePage(): string {
  const body = html`<section class="card" data-page="home">
  <h1>Stepup Bank sign-in</h1>
  <p class="lead">This is where the Stepup Bank apps send you to sign in with a passkey or a security key.</p>
  <a class="button primary" href="/account">Manage your passkeys</a>
</section>`;
  return layout({ title: 'Sign in', body, scripts: false });
}

/** The logout confirmation of RP-initiated logout: the provider's own form (trusted HTML), restyled. */
export function logoutPage(form: string): string {
  const body = html`<section class="card" data-page="logout">
  <h1>Sign out of Stepup Bank?</h1>
  <p class="lead">You will need your passkey to sign in again.</p>
  <div class="logout-form">${new SafeHtml(form)}</div>
  <button class="button primary" type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
  <button class="link" type="submit" form="op.logoutForm">Stay signed in</button>
</section>`;
  return layout({ title: 'Sign out', body, scripts: false });
}

/** After RP-initiated logout without a redirect back to a client. */
export function loggedOutPage(): string {
  return messagePage({ title: 'You are signed out', message: 'Thank you for banking with Stepup Bank.' });
}
