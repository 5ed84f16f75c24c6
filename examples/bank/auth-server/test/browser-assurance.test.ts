// The assurance holds end to end, in headless Chromium with CDP virtual authenticators:
// - whoever holds a copy of the customer's synced passkey gets nothing at the high level, whatever the
//   order of steps (enroll a key, remove it, sign up inside a high request, re-enroll, use the pending
//   key before its time), and the customer is told at every sign-in and can remove the key;
// - a security key added while the server had no FIDO metadata is high once a BLOB lists its model;
// - in demo mode Chrome's virtual security key reaches the high level with no metadata at all (the
//   demo statement trusts Chromium's own attestation key), and outside demo mode it does not.
import { type Db, openPglite } from '@stepup-example/db';
import {
  CHROMIUM_AAGUID,
  captureSecurityKeyAttestation,
  launch,
  mdsEntry,
  requireChromium,
} from '@stepup-example/testkit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requires } from '../../../../test/services.js';
import { ACR_HIGH, ACR_STANDARD } from '../src/assurance.js';
import {
  authorizeUrl,
  type BankPage,
  callbackFor,
  newPage,
  tokenClaims,
  trustChromiumSecurityKeys,
} from './helpers/browser.js';
import { type Bank, COOLING_OFF_SECONDS, startBank } from './helpers/setup.js';

const COOLING_OFF_MS = COOLING_OFF_SECONDS * 1000;

/** Pages answer slowly on a busy machine: wait up to ten seconds for what they show. */
const POLL = { timeout: 10_000 };

// In CI a missing browser is a failure, never a skip (requires()).
describe('the assurance in Chromium', requires('chromium'), () => {
  let browser: Browser;
  const opened: { bank: Bank; db: Db }[] = [];
  const tabs: BankPage[] = [];

  beforeAll(async () => {
    requireChromium();
    browser = await launch();
  });
  afterEach(async () => {
    for (const tab of tabs.splice(0)) await tab.context.close();
    for (const { bank, db } of opened.splice(0)) {
      await bank.close();
      await db.close();
    }
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function bankWith(options: Parameters<typeof startBank>[1] = {}): Promise<Bank> {
    const db = await openPglite(undefined);
    const bank = await startBank(db, options);
    opened.push({ bank, db });
    return bank;
  }

  async function tab(): Promise<BankPage> {
    const t = await newPage(browser);
    t.page.on('pageerror', (error) => console.error('page error:', error.message));
    tabs.push(t);
    return t;
  }

  async function openAccount(bank: Bank, t: BankPage, name = 'Ada Lovelace') {
    const request = authorizeUrl(bank);
    await t.page.goto(request.url);
    await t.page.getByLabel('Your name').fill(name);
    await t.page.getByRole('button', { name: 'Open an account with a passkey' }).click();
    return tokenClaims(bank, t, request.pending);
  }

  async function settingsSignIn(bank: Bank, page: Page) {
    await page.goto(`${bank.server.url}/account`);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.locator('[data-page="account"]').waitFor();
  }

  async function addKey(page: Page, nickname: string) {
    const before = await page.getByTestId('credential').count();
    await page.getByLabel('Name for the new key (optional)').fill(nickname);
    await page.getByRole('button', { name: 'Add a passkey or security key' }).click();
    await expect.poll(() => page.getByTestId('credential').count(), POLL).toBe(before + 1);
  }

  /** A high request answered with the plugged-in authenticator: the message the page shows. */
  async function refusedAtHigh(bank: Bank, t: BankPage): Promise<string> {
    const request = authorizeUrl(bank, { acr_values: ACR_HIGH });
    await t.page.goto(request.url);
    await t.page.getByRole('button', { name: 'Use your security key' }).click();
    await t.page.locator('[data-testid="message"].error').waitFor(); // the page says why it refused
    expect(t.callbacks.filter((url) => url.includes(request.pending.state))).toEqual([]);
    return String(await t.page.getByTestId('message').textContent());
  }

  async function accountCount(bank: Bank): Promise<number> {
    const found = opened.find((o) => o.bank === bank);
    if (!found) throw new Error('not a bank of this suite');
    const { rows } = await found.db.query('SELECT COUNT(*)::int AS n FROM accounts');
    return Number((rows[0] as { n: number }).n);
  }

  it('gives a copy of the synced passkey nothing at the high level, in any order of steps, and tells the customer', async () => {
    const bank = await bankWith();
    const owner = await tab();
    await trustChromiumSecurityKeys(bank, owner, 1_000);
    await owner.auth.use('synced-passkey');
    const standard = await openAccount(bank, owner);
    expect(standard).toMatchObject({ acr: ACR_STANDARD });

    // Someone else's browser with a copy of the synced passkey.
    const copy = await tab();
    const copied = await owner.auth.credentials('synced-passkey');
    await copy.auth.use('synced-passkey', copied);

    // 1. Sign up inside a high request with the copied passkey: refused, and no account is opened.
    const accounts = await accountCount(bank);
    const high = authorizeUrl(bank, { acr_values: ACR_HIGH });
    await copy.page.goto(high.url);
    const base = String(await copy.page.locator('[data-page="signin"]').getAttribute('data-base'));
    expect(await copy.page.getByRole('button', { name: 'Open an account with a passkey' }).count()).toBe(0);
    const signUp = await copy.page.evaluate(async (path) => {
      const post = async (url: string, body: unknown) => {
        const r = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: r.status, body: await r.json() };
      };
      const options = await post(`${path}/signup/options`, { name: 'Mallory' });
      const browserLib = (
        window as unknown as { SimpleWebAuthnBrowser: { startRegistration(o: unknown): Promise<unknown> } }
      ).SimpleWebAuthnBrowser;
      const credential = await browserLib.startRegistration({ optionsJSON: options.body });
      return post(`${path}/signup/verify`, credential);
    }, base);
    expect(signUp).toMatchObject({ status: 403, body: { error: 'credential_too_weak' } });
    expect(await accountCount(bank)).toBe(accounts);
    await copy.auth.use('synced-passkey', copied); // without the passkey that sign-up made on it

    // 2. Enroll a security key from the settings, signed in with the copied passkey: pending.
    await settingsSignIn(bank, copy.page);
    await copy.auth.use('security-key');
    await addKey(copy.page, 'Planted key');
    const planted = copy.page.locator('[data-pending="true"]');
    expect(await planted.locator('.badge').textContent()).toBe('Not active yet');
    expect(await copy.page.getByTestId('level-notice').textContent()).toContain(
      'Your security key becomes active at',
    );

    // 3. Use the pending key at the high level before its time: refused, saying when.
    expect(await refusedAtHigh(bank, copy)).toContain('becomes active at');
    bank.advance(COOLING_OFF_MS - 60_000);
    expect(await refusedAtHigh(bank, copy)).toContain('becomes active at');
    // The synced passkey itself: too weak.
    await copy.auth.use('synced-passkey');
    expect(await refusedAtHigh(bank, copy)).toBe(
      'This passkey does not reach the level this action needs. Please use your security key.',
    );

    // 4. The customer's next sign-in says a key was added; the customer removes it from the settings.
    // (The passkey provider syncs the passkey, its signature counter included, to the customer's device.)
    await owner.auth.use('synced-passkey', await copy.auth.credentials('synced-passkey'));
    const again = authorizeUrl(bank, { prompt: 'login' });
    await owner.page.goto(again.url);
    expect(await owner.page.getByTestId('added-notices').textContent()).toContain(
      'A security key “Planted key” was added',
    );
    const next = owner.page.getByRole('button', { name: /Continue to/ });
    expect(await next.isVisible()).toBe(false);
    await owner.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await next.waitFor();
    expect(await owner.page.getByRole('button', { name: 'Sign in with a passkey' }).isVisible()).toBe(false);
    expect(owner.callbacks.filter((url) => url.includes(again.pending.state))).toEqual([]);
    await owner.page.getByRole('link', { name: 'Review your security settings' }).click();
    await owner.page.locator('[data-page="account"]').waitFor();
    await owner.page.locator('[data-pending="true"]').getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => owner.page.getByTestId('credential').count(), POLL).toBe(1);
    expect(await owner.page.getByTestId('activity').textContent()).toContain('“Planted key” removed');

    // 5. Re-enroll: a new key waits a new full period; still nothing at the high level.
    await copy.auth.use('synced-passkey', await owner.auth.credentials('synced-passkey'));
    await settingsSignIn(bank, copy.page);
    await copy.auth.use('security-key', []);
    await addKey(copy.page, 'Planted again');
    bank.advance(60_000 + 1000); // past the first key's end, inside the second one's period
    expect(await refusedAtHigh(bank, copy)).toContain('becomes active at');
    expect(copy.callbacks).toEqual([]);
  }, 120_000);

  it('rates a security key added while the server had no metadata high once a BLOB lists its model', async () => {
    const bank = await bankWith({ blob: 'none' });
    const t = await tab();
    // The batch certificate of this run, learned before the account exists (the BLOB comes later).
    const { certificate } = await captureSecurityKeyAttestation(t.page, t.auth, `${bank.server.url}/`);
    await t.auth.use('security-key', []);
    const opened = await openAccount(bank, t);
    expect(opened).toMatchObject({ acr: ACR_STANDARD, amr: ['mfa', 'hwk'] });
    await t.page.goto(`${bank.server.url}/account`);
    expect(await t.page.getByTestId('level-notice').textContent()).toContain(
      'This model is not recognised yet.',
    );
    const refused = authorizeUrl(bank, { acr_values: ACR_HIGH });
    await t.page.goto(refused.url);
    expect(await t.page.getByTestId('no-eligible').textContent()).toContain('does not recognise yet');

    await bank.store.load(
      await bank.signer.sign(1, [
        mdsEntry({
          aaguid: CHROMIUM_AAGUID,
          roots: [certificate],
          description: 'Chromium virtual security key',
        }),
      ]),
    );
    expect((await bank.server.reclassify()).map((c) => [c.before, c.after])).toEqual([['medium', 'high']]);
    await t.page.goto(`${bank.server.url}/account`);
    expect(await t.page.locator('.badge').textContent()).toBe('High security');
    expect(await t.page.getByTestId('reclassified').textContent()).toContain(
      'was Standard, now High security',
    );

    const step = authorizeUrl(bank, { acr_values: ACR_HIGH });
    await t.page.goto(step.url);
    await t.page.getByRole('button', { name: 'Use your security key' }).click();
    expect(await tokenClaims(bank, t, step.pending)).toMatchObject({
      acr: ACR_HIGH,
      sub: opened.sub,
    });
  }, 90_000);

  it("reaches the high level with Chrome's virtual security key in demo mode, with no metadata, and not outside it", async () => {
    for (const demo of [true, false]) {
      const bank = await bankWith({
        blob: 'none',
        ...(demo ? { demoTrust: 'chrome-virtual-authenticator' } : {}),
      });
      const t = await tab();
      await t.auth.use('synced-passkey');
      await openAccount(bank, t);
      await t.page.goto(`${bank.server.url}/account`);
      expect(await t.page.getByTestId('demo-trust').count()).toBe(demo ? 1 : 0);
      await t.auth.use('security-key');
      await addKey(t.page, 'Virtual key');
      const key = t.page.locator('[data-testid="credential"]', { hasText: 'Virtual key' });
      expect(await key.getAttribute('data-class')).toBe(demo ? 'high' : 'medium');
      expect(await t.page.getByTestId('level-notice').textContent()).toContain(
        demo ? 'Your security key becomes active at' : 'This model is not recognised yet.',
      );
      bank.advance(COOLING_OFF_MS + 1000);

      const step = authorizeUrl(bank, { acr_values: ACR_HIGH });
      await t.page.goto(step.url);
      expect(await t.page.getByTestId('demo-trust').count()).toBe(demo ? 1 : 0);
      if (demo) {
        expect(await t.page.getByTestId('demo-trust').textContent()).toContain('Demo trust.');
        await t.page.getByRole('button', { name: 'Use your security key' }).click();
        expect(await tokenClaims(bank, t, step.pending)).toMatchObject({
          acr: ACR_HIGH,
          amr: ['mfa', 'hwk'],
        });
      } else {
        expect(await t.page.getByTestId('no-eligible').textContent()).toContain('does not recognise yet');
        await t.page.getByRole('button', { name: /Return to/ }).click();
        expect((await callbackFor(t, step.pending)).get('error')).toBe('unmet_authentication_requirements');
      }
    }
  }, 120_000);
});
