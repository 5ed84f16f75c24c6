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

  // After a sign-in: keys added during their cooling-off period are announced before going on, and
  // the customer continues with a click (or goes to the security settings to remove one).
  function proceed(answer) {
    const notices = Array.isArray(answer.notices) ? answer.notices : [];
    if (notices.length === 0) {
      window.location.assign(answer.redirectTo);
      return;
    }
    const block = page.querySelector('[data-testid="added-notices"]');
    const list = block?.querySelector('[data-notices]');
    const next = page.querySelector('[data-action="continue"]');
    if (!block || !list || !next) {
      window.location.assign(answer.redirectTo);
      return;
    }
    list.replaceChildren(
      ...notices.map((text) => {
        const p = document.createElement('p');
        p.textContent = String(text);
        return p;
      }),
    );
    block.classList.add('shown');
    for (const control of page.querySelectorAll(
      '[data-action="signin"], [data-action="signup"], [data-action="code"], [data-action="abort"], .divider',
    )) {
      control.hidden = true;
    }
    next.setAttribute('data-href', answer.redirectTo);
    next.hidden = false;
    say('', '');
  }

  // The elevated level after a passkey: the page asks for the code next, on the same page.
  function askForCode(button) {
    const form = page.querySelector('[data-action="code"]');
    if (!form) return;
    if (button) button.hidden = true;
    form.hidden = false;
    form.querySelector('input')?.focus();
    say('Now type the code from your authenticator app.', '');
  }

  async function signIn(base, button, body) {
    await run(button, async () => {
      const optionsJSON = await post(`${base}/signin/options`, body);
      const credential = await startAuthentication({ optionsJSON });
      say('Checking…', '');
      const answer = await post(`${base}/signin/verify`, credential);
      if (base === '/account') window.location.assign(answer.redirectTo);
      else if (answer.next === 'code') askForCode(button);
      else proceed(answer);
    });
  }

  function codeOf(form) {
    return String(new FormData(form).get('code') || '').replace(/\s+/g, '');
  }

  async function sendCode(form, url, after) {
    const button = form.querySelector('button[type="submit"]');
    await run(button, async () => {
      const answer = await post(url, { code: codeOf(form) });
      after(answer);
    });
  }

  async function startOtp(button) {
    await run(button, async () => {
      const { qr, secret } = await post('/account/otp/options');
      const box = page.querySelector('[data-testid="otp-enrol"]');
      if (!box) return;
      box.querySelector('[data-otp-qr]')?.setAttribute('src', qr);
      const key = box.querySelector('[data-otp-secret]');
      if (key) key.textContent = secret;
      box.hidden = false;
      button.hidden = true;
      box.querySelector('input')?.focus();
    });
  }

  async function signUp(base, form) {
    const button = form.querySelector('button[type="submit"]');
    await run(button, async () => {
      const name = new FormData(form).get('name');
      const optionsJSON = await post(`${base}/signup/options`, { name });
      const credential = await startRegistration({ optionsJSON });
      say('Opening your account…', '');
      proceed(await post(`${base}/signup/verify`, credential));
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
    if (action === 'account-step-up') signIn('/account', target, { acr: target.getAttribute('data-acr') });
    if (action === 'continue') window.location.assign(target.getAttribute('data-href'));
    if (action === 'abort') {
      run(target, async () => {
        const { redirectTo } = await post(`${base}/abort`, { reason: target.getAttribute('data-reason') });
        window.location.assign(redirectTo);
      });
    }
    if (action === 'otp-start') startOtp(target);
    if (action === 'otp-remove') {
      run(target, async () => {
        await post('/account/otp/delete');
        window.location.reload();
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
    if (action === 'code') sendCode(form, `${page.getAttribute('data-base')}/code/verify`, proceed);
    if (action === 'otp-verify') sendCode(form, '/account/otp/verify', () => window.location.reload());
    if (action === 'otp-confirm') sendCode(form, '/account/otp/confirm', () => window.location.reload());
  });
})();
