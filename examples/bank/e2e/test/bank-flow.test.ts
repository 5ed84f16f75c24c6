// The whole bank in headless Chromium with virtual authenticators: open an account with a synced
// passkey, add a security key, look at the balances, send 50 (no step-up), type 1,50 (read as 1.50,
// shown in the review, sent as 150 cents) and 1.500 (refused as ambiguous in en-US), send 5,000 (the
// API's challenge, the typed amount kept, a step-up with the security key, the automatic retry under
// the same idempotency key, money moved once), and the same 5,000 refused in a German browser when
// only the synced passkey is at hand.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ACR_HIGH, ACR_STANDARD, LEVEL_WORDS } from '@stepup-example/contract';
import {
  Authenticators,
  CHROMIUM_AAGUID,
  captureSecurityKeyAttestation,
  launch,
  mdsEntry,
  requireChromium,
} from '@stepup-example/testkit';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requires } from '../../../../test/services.js';
import { accessibility, balances, reviewed, reviewTransfer, sendMoney } from './helpers/bank-page.js';
import { expectDpopBound, recordDpop, type SentRequest } from './helpers/dpop-wire.js';
import { type Stack, startStack } from './helpers/stack.js';

const NBSP = '\u00a0';
const ARTIFACTS = fileURLToPath(new URL('../../../../test-artifacts/e2e/', import.meta.url));
// In CI a missing browser is a failure, never a skip (requires()).
describe('the bank in a browser', requires('chromium'), () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    requireChromium();
    await mkdir(ARTIFACTS, { recursive: true });
    stack = await startStack();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function open(locale = 'en-US'): Promise<{
    context: BrowserContext;
    page: Page;
    auth: Authenticators;
    transfers: string[];
    wire: Promise<SentRequest>[];
  }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const transfers: string[] = [];
    page.on('pageerror', (error) => console.error('page error:', error.message));
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url() === `${stack.api.url}/transfers`) {
        transfers.push(request.headers()['idempotency-key'] ?? '');
      }
    });
    const wire = recordDpop(page, { api: stack.api.url, token: `${stack.as.url}/token` });
    return { context, page, auth: await Authenticators.attach(context, page), transfers, wire };
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });

  /** Lets the metadata store trust the batch certificate Chromium's virtual security keys use in this run. */
  async function trustChromiumSecurityKeys(page: Page, auth: Authenticators) {
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
    await auth.use('security-key', []); // a fresh key, without the throwaway credential
  }

  it('signs up, adds a security key, sends 50 and 1,50 (after a review) without and 5,000 with a step-up, refuses 5.000 without the key', async () => {
    const { context, page, auth, transfers, wire } = await open();
    await trustChromiumSecurityKeys(page, auth);

    // 1. Open an account with a synced passkey.
    await auth.use('synced-passkey');
    await page.goto(stack.web.url);
    const openAccount = page.getByRole('button', { name: 'Open an account' });
    await openAccount.waitFor();
    await shot(page, '01-landing');
    await openAccount.click();
    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByRole('button', { name: 'Open an account with a passkey' }).click();
    await page.waitForURL(`${stack.web.url}/`);
    await expect.poll(() => page.getByTestId('session-level').textContent()).toBe('Passkey · Standard level');
    await expect
      .poll(() => balances(page))
      .toEqual({ 'Everyday account': '€2,609.40', 'Savings account': '€12,000.00' });
    await shot(page, '02-signed-up-standard');

    // 2. Add a security key in the authorization server's security settings.
    await page.getByRole('link', { name: 'Security settings' }).click();
    await expect.poll(() => page.getByTestId('credential').count()).toBe(1);
    await auth.use('security-key');
    await page.getByLabel('Name for the new key (optional)').fill('Blue key');
    await page.getByRole('button', { name: 'Add a passkey or security key' }).click();
    await expect.poll(() => page.getByTestId('credential').count()).toBe(2);
    expect(await page.locator('[data-class="high"] .credential-name').textContent()).toBe('Blue key');
    await shot(page, '03-security-key-added');

    // 3. Back at the bank: the balances, and what assistive technology is told.
    await page.goto(stack.web.url);
    await expect
      .poll(() => balances(page))
      .toEqual({ 'Everyday account': '€2,609.40', 'Savings account': '€12,000.00' });
    expect(await accessibility(page)).toEqual({
      selected: ['Everyday account'],
      historyHeaders: ['Date', 'Details', 'Amount', 'Balance'],
      levelExplained: `Standard level — ${LEVEL_WORDS[ACR_STANDARD].description}`,
      amountFocusRing: '3px solid',
    });
    // Switching accounts shows the chosen account's history (its own query, never a late answer).
    await page.getByRole('button', { name: /Savings account/ }).click();
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Savings account' }).count()).toBe(1);
    expect((await accessibility(page)).selected).toEqual(['Savings account']);
    await shot(page, '04-balances');

    // 4. 50.00 needs no step-up: reviewed, then one request, done.
    await reviewTransfer(page, 'Everyday account', 'Savings account', '50');
    expect(await reviewed(page)).toEqual({
      amount: '€50.00',
      from: 'Everyday account',
      to: 'Savings account',
      reference: 'None',
    });
    expect(transfers).toHaveLength(0); // the review sends nothing
    await page.getByRole('button', { name: 'Send money' }).click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toBe('Sent €50.00 to Savings account.');
    await expect
      .poll(() => balances(page))
      .toEqual({ 'Everyday account': '€2,559.40', 'Savings account': '€12,050.00' });
    expect(transfers).toHaveLength(1);
    expect(await page.getByTestId('transfer-form').getByLabel('Amount').inputValue()).toBe('');
    await shot(page, '05-sent-50');

    // "1,50" is €1.50 (a comma and two digits can only be a decimal), shown before it is sent; "1.500"
    // could be €1,500.00 or €1.50 in en-US, so it is refused with both readings, and nothing is sent.
    await reviewTransfer(page, 'Everyday account', 'Savings account', '1.500');
    expect(await page.getByTestId('transfer-error').textContent()).toBe(
      '“1.500” could mean €1,500.00 or €1.50. Type 1500 for €1,500.00, or 1.50 for €1.50.',
    );
    await reviewTransfer(page, 'Everyday account', 'Savings account', '1,50');
    expect((await reviewed(page)).amount).toBe('€1.50');
    await shot(page, '06-review-1,50');
    await page.getByRole('button', { name: 'Send money' }).click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toBe('Sent €1.50 to Savings account.');
    await expect
      .poll(() => balances(page))
      .toEqual({ 'Everyday account': '€2,557.90', 'Savings account': '€12,051.50' });
    expect(transfers).toHaveLength(2);
    // What the bank recorded under each idempotency key: 50.00 and 1.50, in cents.
    const sent = () =>
      stack.apiDb.query(
        `SELECT k.key, t.amount::int AS amount FROM idempotency_keys k
         JOIN transfers t ON t.id = k.transfer_id ORDER BY t.created_at`,
      );
    expect((await sent()).rows).toEqual([
      { key: transfers[0], amount: 5_000 },
      { key: transfers[1], amount: 150 },
    ]);

    // 5. 5,000.00: the API challenges, the app explains and keeps the typed amount; "Not now" sends
    // nothing more; sent again (same key), then the security key steps up, and the app retries once.
    await sendMoney(page, 'Savings account', 'Everyday account', '5,000');
    const dialog = page.getByTestId('step-up');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    // 5,000.00 is on the elevated rung: a passkey and a code, or (this customer has no authenticator
    // app) the security key alone; approved for this transfer only.
    expect(await page.getByTestId('step-up-reason').textContent()).toBe(
      'Transfers over €1,000.00 need your passkey and one-time code, used in the last 5 minutes. Your passkey alone is not enough for this.',
    );
    expect(await page.getByTestId('step-up-approval').textContent()).toMatch(
      /^You will approve: €5,000\.00 to Everyday account \(SB\d{2}( \d{4}){3}\), once\.$/,
    );
    const amountField = page.getByTestId('transfer-form').getByLabel('Amount');
    expect(await amountField.inputValue()).toBe('5,000');
    await shot(page, '07-step-up-asked');
    await page.getByRole('button', { name: 'Not now' }).click();
    await expect
      .poll(() => page.getByTestId('notice').textContent())
      .toBe('Your transfer of €5,000.00 to Everyday account was not sent.');
    expect(await amountField.inputValue()).toBe('5,000');
    expect((await reviewed(page)).amount).toBe('€5,000.00');
    await page.getByRole('button', { name: 'Send money' }).click();
    await page.getByRole('button', { name: 'Continue with passkey and one-time code' }).click();
    await page.waitForURL(`${stack.as.url}/interaction/**`);
    expect(await page.locator('.notice.info').textContent()).toContain(
      'Extra security check: Elevated level.',
    );
    expect(await page.getByTestId('approval-amount').textContent()).toBe('€5,000.00');
    expect(await page.getByTestId('approval-payee').textContent()).toBe('Everyday account');
    await shot(page, '08-step-up-at-the-bank-sign-in');
    await page.getByRole('button', { name: 'Approve with your security key' }).click();
    await page.waitForURL(`${stack.web.url}/`);
    await expect
      .poll(() => page.getByTestId('notice').textContent())
      .toBe('Sent €5,000.00 to Everyday account.');
    await expect
      .poll(() => balances(page))
      .toEqual({ 'Everyday account': '€7,557.90', 'Savings account': '€7,051.50' });
    expect(await page.getByTestId('session-level').textContent()).toBe('Security key · High level');
    expect(await page.getByTestId('session-level-explained').textContent()).toBe(
      `High level — ${LEVEL_WORDS[ACR_HIGH].description}`,
    );
    expect(transfers).toHaveLength(5);
    // Both challenged attempts and the retry after the step-up carry one key.
    expect(new Set(transfers.slice(2))).toEqual(new Set([transfers[2]]));
    expect((await sent()).rows.slice(2)).toEqual([{ key: transfers[2], amount: 500_000 }]);
    const moved = await stack.apiDb.query('SELECT COUNT(*)::int AS n FROM transfers WHERE amount = 500000');
    expect(moved.rows).toEqual([{ n: 1 }]);
    await shot(page, '09-sent-5000-after-step-up');

    // A new payee needs the high level within 5 minutes: the fresh security-key sign-in covers it.
    await page.getByRole('button', { name: 'Add payee' }).click();
    await page.getByLabel('Name').fill('City Water');
    await page.getByLabel('Account number (IBAN)').fill('GB29 NWBK 6016 1331 9268 19');
    await page.getByTestId('payee-form').getByRole('button', { name: 'Add payee' }).click();
    await expect
      .poll(() => page.getByTestId('notice').textContent())
      .toBe('City Water is now one of your payees.');
    expect(page.url()).toBe(`${stack.web.url}/`);

    // An expired access token is refreshed (the refresh token keeps the sign-in's acr).
    const session = () => page.evaluate(() => JSON.parse(sessionStorage.getItem('bank.session') ?? '{}'));
    const before = await session();
    await page.evaluate(() => {
      const stored = JSON.parse(sessionStorage.getItem('bank.session') ?? '{}');
      sessionStorage.setItem('bank.session', JSON.stringify({ ...stored, expiresAt: 0 }));
    });
    await page.reload();
    await expect
      .poll(() => balances(page))
      .toEqual({ 'Everyday account': '€7,557.90', 'Savings account': '€7,051.50' });
    const after = await session();
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.expiresAt).toBeGreaterThan(Date.now());
    expect(await page.getByTestId('session-level').textContent()).toBe('Security key · High level');

    // 5. Every token was DPoP-bound (RFC 9449): each API call sent `Authorization: DPoP` and a proof of
    // the tab's one key, each token request (sign-up, step-up, refresh) a proof too, and the access
    // token carries that key's thumbprint (`cnf.jkt`). The key lives in IndexedDB, not extractable.
    const counts = await expectDpopBound(wire, after.accessToken, stack.api.url);
    expect(counts.api).toBeGreaterThanOrEqual(10);
    expect(counts.token).toBeGreaterThanOrEqual(3);
    const storedKeys = () =>
      page.evaluate(
        () =>
          new Promise<{ count: number; extractable: boolean[] }>((resolve, reject) => {
            const open = indexedDB.open('stepup-bank', 1);
            open.onupgradeneeded = () => open.result.createObjectStore('dpop-keys');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const all = open.result.transaction('dpop-keys').objectStore('dpop-keys').getAll();
              all.onsuccess = () => {
                const pairs = all.result as CryptoKeyPair[];
                open.result.close();
                resolve({ count: pairs.length, extractable: pairs.map((p) => p.privateKey.extractable) });
              };
            };
          }),
      );
    expect(await storedKeys()).toEqual({ count: 1, extractable: [false] });

    // 6. Another browser, in German, with only the synced passkey: the same 5.000 is refused, nothing
    // moves. Its sign-in session at the authorization server has ended (the app's refresh token lives
    // on), so the sign-in page cannot narrow the choice to the account's security keys: the customer
    // offers the synced passkey, and the authorization server refuses to finish with it.
    const synced = await auth.credentials('synced-passkey');
    const other = await open('de-DE');
    await other.auth.use('synced-passkey', synced);
    await other.page.goto(stack.web.url);
    await other.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await other.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await other.page.waitForURL(`${stack.web.url}/`);
    const german = { 'Everyday account': `7.557,90${NBSP}€`, 'Savings account': `7.051,50${NBSP}€` };
    await expect.poll(() => balances(other.page)).toEqual(german);
    await other.context.clearCookies({ domain: 'localhost' });
    // In de-DE "5.000" groups thousands: five thousand euros.
    await reviewTransfer(other.page, 'Savings account', 'Everyday account', '5.000');
    expect((await reviewed(other.page)).amount).toBe(`5.000,00${NBSP}€`);
    await other.page.getByRole('button', { name: 'Send money' }).click();
    await other.page.getByRole('button', { name: 'Continue with passkey and one-time code' }).click();
    await other.page.waitForURL(`${stack.as.url}/interaction/**`);
    await other.page.getByRole('button', { name: 'Approve with your passkey' }).click();
    await expect
      .poll(() => other.page.getByTestId('message').textContent())
      .toBe(
        'This passkey does not reach the level this action needs. Please use another passkey or your security key.',
      );
    await shot(other.page, '10-synced-passkey-not-enough');
    await other.page.getByRole('button', { name: /Cancel and return/ }).click();
    await other.page.waitForURL(`${stack.web.url}/`);
    await expect
      .poll(() => other.page.getByTestId('notice-text').textContent())
      .toBe(
        `Your transfer of 5.000,00${NBSP}€ to Everyday account was not sent. The security check was cancelled.`,
      );
    expect(await other.page.getByTestId('notice').getByRole('button').allTextContents()).toEqual([
      'Try again',
      'Discard',
    ]);
    await expect.poll(() => balances(other.page)).toEqual(german);
    expect(other.transfers).toHaveLength(1);
    await shot(other.page, '11-refused-without-security-key');

    await other.context.close();

    // Signing out deletes the session's key: its tokens, the refresh token included, are dead.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.href.startsWith(stack.as.url));
    await page.goto(stack.web.url);
    await page.getByRole('button', { name: 'Open an account' }).waitFor();
    expect(await storedKeys()).toEqual({ count: 0, extractable: [] });
    await context.close();
  }, 120_000);
});
