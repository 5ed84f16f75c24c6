// Stepup Bank sign-in pages. Plain script (no inline code: the pages forbid it); WebAuthn through
// the UMD build of @simplewebauthn/browser served by the server (`SimpleWebAuthnBrowser`).
(() => {
  const { startAuthentication, startRegistration, browserSupportsWebAuthn } = window.SimpleWebAuthnBrowser;
  const page = document.querySelector('[data-page]');
  if (!page) return;
  const message = page.querySelector('[data-testid="message"]');

  function say(text, tone) {
    if (!message) return;
    message.textContent = text;
    message.className = `message ${tone || ''}`;
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(body || {}),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(data.message || 'Something went wrong. Please try again.');
      error.code = data.error;
      throw error;
    }
    return data;
  }

  function ceremonyError(error) {
    if (error && error.name === 'NotAllowedError')
      return 'The request was cancelled or timed out. Please try again.';
    if (error && error.name === 'InvalidStateError') return 'This authenticator is already registered.';
    return error?.message || 'Something went wrong. Please try again.';
  }

  function busy(button, on) {
    if (!button) return;
    button.disabled = on;
    button.setAttribute('aria-busy', on ? 'true' : 'false');
  }

  async function run(button, task) {
    busy(button, true);
    say('', '');
    try {
      await task();
    } catch (error) {
      say(ceremonyError(error), 'error');
    } finally {
      busy(button, false);
    }
  }

  async function signIn(base, button) {
    await run(button, async () => {
      const optionsJSON = await post(`${base}/signin/options`);
      const credential = await startAuthentication({ optionsJSON });
      say('Checking…', '');
      const { redirectTo } = await post(`${base}/signin/verify`, credential);
      window.location.assign(redirectTo);
    });
  }

  async function signUp(base, form) {
    const button = form.querySelector('button[type="submit"]');
    await run(button, async () => {
      const name = new FormData(form).get('name');
      const optionsJSON = await post(`${base}/signup/options`, { name });
      const credential = await startRegistration({ optionsJSON });
      say('Opening your account…', '');
      const { redirectTo } = await post(`${base}/signup/verify`, credential);
      window.location.assign(redirectTo);
    });
  }

  async function addCredential(form) {
    const button = form.querySelector('button[type="submit"]');
    await run(button, async () => {
      const nickname = String(new FormData(form).get('nickname') || '').trim();
      const optionsJSON = await post('/account/credentials/options');
      const credential = await startRegistration({ optionsJSON });
      await post('/account/credentials/verify', { credential, ...(nickname ? { nickname } : {}) });
      window.location.reload();
    });
  }

  if (!browserSupportsWebAuthn()) {
    say('This browser does not support passkeys. Please use an up-to-date browser.', 'error');
  }

  page.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('[data-action]') : null;
    if (!target || target.tagName === 'FORM') return;
    const action = target.getAttribute('data-action');
    const base = page.getAttribute('data-base');
    if (action === 'signin') signIn(base, target);
    if (action === 'account-signin') signIn('/account', target);
    if (action === 'abort') {
      run(target, async () => {
        const { redirectTo } = await post(`${base}/abort`, { reason: target.getAttribute('data-reason') });
        window.location.assign(redirectTo);
      });
    }
    if (action === 'remove') {
      run(target, async () => {
        await post(`/account/credentials/${encodeURIComponent(target.getAttribute('data-id'))}/delete`);
        window.location.reload();
      });
    }
    if (action === 'signout') {
      run(target, async () => {
        const { redirectTo } = await post('/account/signout');
        window.location.assign(redirectTo);
      });
    }
  });

  page.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    event.preventDefault();
    const action = form.getAttribute('data-action');
    if (action === 'signup') signUp(page.getAttribute('data-base'), form);
    if (action === 'add-credential') addCredential(form);
  });
})();
