// The bank's risk ladder in headless Chromium, each rung at its threshold: 1,000.00 with the passkey
// alone, 1,000.01 approved with the passkey and a one-time code from an authenticator app (codes made
// here with otpauth, as the customer's app makes them), 10,000.01 approved with the security key; each
// approval shown in words at the bank's sign-in page and good for exactly that transfer once — the
// approved token is then tried, from the page, for another amount, another payee and a second transfer.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  Authenticators,
  CHROMIUM_AAGUID,
  captureSecurityKeyAttestation,
  launch,
  mdsEntry,
  requireChromium,
} from '@stepup-example/testkit';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requires } from '../../../../test/services.js';
import { balances, reviewTransfer, sendMoney } from './helpers/bank-page.js';
import { type Stack, startStack } from './helpers/stack.js';

const ARTIFACTS = fileURLToPath(new URL('../../../../test-artifacts/e2e/ladder-', import.meta.url));
const COOLING_OFF_MS = 1000;

describe('the risk ladder in a browser', requires('chromium'), () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    requireChromium();
    await mkdir(fileURLToPath(new URL('../../../../test-artifacts/e2e/', import.meta.url)), {
      recursive: true,
    });
    stack = await startStack();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
  const code = (secret: string) => TOTP.generate({ secret: Secret.fromBase32(secret) });
  /** Waits for the next 30-second step when `used` is the current code: each code is accepted once. */
  async function freshCode(secret: string, used: Set<string>): Promise<string> {
    for (;;) {
      const current = code(secret);
      if (!used.has(current)) {
        used.add(current);
        return current;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  /**
   * Calls the API from the page with the app's current access token (what malware in the page could
   * do): as a DPoP request signed with the session key, which such a script can use (never read out)
   * from IndexedDB, or with the token alone as Bearer (what a thief of the token has).
   */
  const callApi = (page: Page, body: object, key: string, scheme: 'DPoP' | 'Bearer' = 'DPoP') =>
    page.evaluate(
      async ({ url, body, key, scheme }) => {
        const b64u = (bytes: ArrayBuffer | Uint8Array) =>
          btoa(String.fromCharCode(...new Uint8Array(bytes)))
            .replaceAll('+', '-')
            .replaceAll('/', '_')
            .replace(/=+$/, '');
        const text = (value: string) => new TextEncoder().encode(value);
        const session = JSON.parse(sessionStorage.getItem('bank.session') ?? '{}');
        const headers: Record<string, string> = {
          authorization: `${scheme} ${session.accessToken}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        };
        if (scheme === 'DPoP') {
          const pair = await new Promise<CryptoKeyPair>((resolve, reject) => {
            const open = indexedDB.open('stepup-bank', 1);
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const get = open.result
                .transaction('dpop-keys')
                .objectStore('dpop-keys')
                .get(String(sessionStorage.getItem('bank.dpopKey')));
              get.onsuccess = () => resolve(get.result);
              get.onerror = () => reject(get.error);
            };
          });
          const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
          const header = b64u(
            text(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } })),
          );
          const ath = b64u(await crypto.subtle.digest('SHA-256', text(session.accessToken)));
          const claims = {
            jti: crypto.randomUUID(),
            htm: 'POST',
            htu: `${url}/transfers`,
            iat: Math.floor(Date.now() / 1000),
            ath,
          };
          const input = `${header}.${b64u(text(JSON.stringify(claims)))}`;
          const signature = await crypto.subtle.sign(
            { name: 'ECDSA', hash: 'SHA-256' },
            pair.privateKey,
            text(input),
          );
          headers.dpop = `${input}.${b64u(signature)}`;
        }
        const response = await fetch(`${url}/transfers`, {
          method: 'POST',
          headers,
          body: JSON.stringify(body),
        });
        const json = await response.json();
        return {
          status: response.status,
          code: json.code,
          replayed: response.headers.get('idempotent-replayed'),
        };
      },
      { url: stack.api.url, body, key, scheme },
    );

  it('climbs standard → elevated with a code → high with the security key, each at its threshold, each approval bound to its transfer', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    const auth = await Authenticators.attach(context, page);
    const sent: { key: string; body: { amount: number } }[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url() === `${stack.api.url}/transfers`) {
        sent.push({
          key: request.headers()['idempotency-key'] ?? '',
          body: JSON.parse(request.postData() ?? '{}'),
        });
      }
    });
    const { certificate } = await captureSecurityKeyAttestation(page, auth, `${stack.web.url}/config.json`);
    await stack.metadata.load(
      await stack.signer.sign(1, [
        mdsEntry({
          aaguid: CHROMIUM_AAGUID,
          roots: [certificate],
          description: 'Chromium virtual security key',
        }),
      ]),
    );
    await auth.use('security-key', []);
    const used = new Set<string>();

    // Open an account with a synced passkey, then add an authenticator app and a security key: both
    // added from a standard session, so both wait out the (here one-second) cooling-off period.
    await auth.use('synced-passkey');
    await page.goto(stack.web.url);
    await page.getByRole('button', { name: 'Open an account' }).click();
    await page.getByLabel('Your name').fill('Grace Hopper');
    await page.getByRole('button', { name: 'Open an account with a passkey' }).click();
    await page.waitForURL(`${stack.web.url}/`);
    await page.getByRole('link', { name: 'Security settings' }).click();
    await page.getByRole('button', { name: 'Add an authenticator app' }).click();
    await page.getByTestId('otp-enrol').waitFor();
    expect(await page.locator('[data-otp-qr]').getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    const secret = String(await page.getByTestId('otp-secret').textContent());
    await shot(page, '01-authenticator-app-qr');
    await page.getByLabel('Code from the app').fill(await freshCode(secret, used));
    await page.getByRole('button', { name: 'Add the app' }).click();
    await expect.poll(() => page.getByTestId('otp').getAttribute('data-pending')).toBe('true');
    await auth.use('security-key');
    await page.getByLabel('Name for the new key (optional)').fill('Blue key');
    await page.getByRole('button', { name: 'Add a passkey or security key' }).click();
    await expect.poll(() => page.getByTestId('credential').count()).toBe(2);
    await page.waitForTimeout(COOLING_OFF_MS + 500);
    await page.reload();
    expect(await page.getByTestId('otp').getAttribute('data-pending')).toBe('false');
    await shot(page, '02-app-and-key-active');
    await page.getByTestId('back-to-bank').click();
    await page.waitForURL(`${stack.web.url}/`);
    await expect
      .poll(() => balances(page))
      .toEqual({ 'Everyday account': '€2,609.40', 'Savings account': '€12,000.00' });

    // 1,000.00: the standard rung, no step-up.
    await sendMoney(page, 'Everyday account', 'Savings account', '1000');
    await expect
      .poll(() => page.getByTestId('notice').textContent())
      .toBe('Sent €1,000.00 to Savings account.');
    expect(sent).toHaveLength(1);

    // 1,000.01: elevated. The passkey signs the approval of this transfer, then the code.
    await reviewTransfer(page, 'Everyday account', 'Savings account', '1000.01');
    expect(await page.getByTestId('transfer-hint').textContent()).toBe(
      'Over €1,000.00: we will ask you to approve this transfer with your passkey and one-time code.',
    );
    await page.getByRole('button', { name: 'Send money' }).click();
    await page.getByTestId('step-up').waitFor();
    expect(await page.getByTestId('step-up-reason').textContent()).toBe(
      'Transfers over €1,000.00 need your passkey and one-time code, used in the last 5 minutes. Your passkey alone is not enough for this.',
    );
    await page.getByRole('button', { name: 'Continue with passkey and one-time code' }).click();
    await page.waitForURL(`${stack.as.url}/interaction/**`);
    expect(await page.getByTestId('approval-amount').textContent()).toBe('€1,000.01');
    expect(await page.getByTestId('approval-payee').textContent()).toBe('Savings account');
    await auth.use('synced-passkey', await auth.credentials('synced-passkey'));
    await shot(page, '03-approve-elevated');
    await page.getByRole('button', { name: 'Approve with your passkey' }).click();
    await page.getByLabel('Code from your authenticator app').waitFor({ state: 'visible' });
    await page.getByLabel('Code from your authenticator app').fill(await freshCode(secret, used));
    await shot(page, '04-code');
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.waitForURL(`${stack.web.url}/`);
    await expect
      .poll(() => page.getByTestId('notice').textContent())
      .toBe('Sent €1,000.01 to Savings account.');
    expect(await page.getByTestId('session-level').textContent()).toBe(
      'Passkey and one-time code · Elevated level',
    );
    await expect
      .poll(() => balances(page))
      .toEqual({ 'Everyday account': '€609.39', 'Savings account': '€14,000.01' });
    const elevatedKey = sent.at(-1)!.key;
    expect(sent.filter((s) => s.key === elevatedKey)).toHaveLength(2); // the challenged attempt and the retry

    // The approved token, tried from the page for what it did not approve: all refused, nothing moves.
    const { rows: accounts } = await stack.apiDb.query(
      `SELECT id, name FROM accounts WHERE owner IS NOT NULL AND name IN ('Everyday account', 'Savings account')`,
    );
    const id = (name: string) =>
      String((accounts as { id: string; name: string }[]).find((a) => a.name === name)?.id);
    const approved = {
      fromAccountId: id('Everyday account'),
      toAccountId: id('Savings account'),
      amount: 100_001,
    };
    expect(await callApi(page, approved, elevatedKey)).toEqual({
      status: 201,
      code: undefined,
      replayed: 'true',
    });
    // The token alone (as a thief outside the page holds it) is refused: it is bound to the key.
    expect(await callApi(page, approved, elevatedKey, 'Bearer')).toEqual({
      status: 401,
      code: 'ERR_DPOP_REQUIRED',
      replayed: null,
    });
    expect(await callApi(page, { ...approved, amount: 100_002 }, 'tamper-1')).toMatchObject({
      status: 401,
      code: 'ERR_AUTHORIZATION_DETAILS_MISMATCH',
    });
    expect(await callApi(page, approved, 'tamper-2')).toMatchObject({
      status: 401,
      code: 'ERR_AUTHORIZATION_DETAILS_USED',
    });

    // 10,000.01: high. The security key signs the approval; a code is not enough.
    await reviewTransfer(page, 'Savings account', 'Everyday account', '10000.01');
    await page.getByRole('button', { name: 'Send money' }).click();
    await page.getByTestId('step-up').waitFor();
    expect(await page.getByTestId('step-up-reason').textContent()).toBe(
      'Transfers over €10,000.00 need your security key, used in the last 5 minutes. Your passkey and one-time code alone is not enough for this.',
    );
    await page.getByRole('button', { name: 'Continue with security key' }).click();
    await page.waitForURL(`${stack.as.url}/interaction/**`);
    expect(await page.getByTestId('approval-amount').textContent()).toBe('€10,000.01');
    expect(await page.getByTestId('approval-payee').textContent()).toBe('Everyday account');
    expect(await page.getByTestId('code-form').count()).toBe(0);
    await auth.use('security-key', await auth.credentials('security-key'));
    await shot(page, '05-approve-high');
    await page.getByRole('button', { name: 'Approve with your security key' }).click();
    await page.waitForURL(`${stack.web.url}/`);
    await expect
      .poll(() => page.getByTestId('notice').textContent())
      .toBe('Sent €10,000.01 to Everyday account.');
    expect(await page.getByTestId('session-level').textContent()).toBe('Security key · High level');
    await expect
      .poll(() => balances(page))
      .toEqual({ 'Everyday account': '€10,609.40', 'Savings account': '€4,000.00' });
    const high = {
      fromAccountId: id('Savings account'),
      toAccountId: id('Everyday account'),
      amount: 1_000_001,
    };
    expect(
      await callApi(
        page,
        { ...high, toAccountId: id('Savings account'), fromAccountId: id('Everyday account') },
        'tamper-3',
      ),
    ).toMatchObject({
      status: 401,
      code: 'ERR_AUTHORIZATION_DETAILS_MISMATCH',
    });
    expect(await callApi(page, high, 'tamper-4')).toMatchObject({
      status: 401,
      code: 'ERR_AUTHORIZATION_DETAILS_USED',
    });
    await shot(page, '06-done');

    // Money moved once per approved transfer; each approval was used once.
    const { rows } = await stack.apiDb.query(
      'SELECT amount::int AS amount FROM transfers WHERE owner IS NOT NULL ORDER BY created_at',
    );
    expect(rows).toEqual([{ amount: 100_000 }, { amount: 100_001 }, { amount: 1_000_001 }]);
    // The replay table also holds every DPoP proof's jti (keys `dpop:…`), beside the approvals' uses.
    const { rows: uses } = await stack.apiDb.query(
      `SELECT count(*) FILTER (WHERE key LIKE '["stepup/transaction"%')::int AS n,
              count(*) FILTER (WHERE key LIKE 'dpop:%') >= 10 AS proofs FROM stepup_replay`,
    );
    expect(uses).toEqual([{ n: 2, proofs: true }]);
    await context.close();
  }, 180_000);
});
