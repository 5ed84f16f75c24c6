// The real pages in headless Chromium with CDP virtual authenticators: open an account with a
// synced passkey (standard), add a security key (high, with a test MDS BLOB made from the
// certificate Chromium sends in this run, active after the cooling-off period), step up with it; a
// synced passkey is refused at high, and the settings it opens change nothing until the security key
// confirms.
import { type Db, openPglite } from '@stepup-example/db';
import { launch, requireChromium } from '@stepup-example/testkit';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requires } from '../../../../test/services.js';
import { ACR_HIGH, ACR_STANDARD } from '../src/assurance.js';
import {
  authorizeUrl,
  callbackFor,
  newPage,
  tokenClaims,
  trustChromiumSecurityKeys,
} from './helpers/browser.js';
import { type Bank, COOLING_OFF_SECONDS, startBank } from './helpers/setup.js';

// In CI a missing browser is a failure, never a skip (requires()).
describe('in Chromium with virtual authenticators', requires('chromium'), () => {
  let db: Db;
  let bank: Bank;
  let browser: Browser;

  beforeAll(async () => {
    requireChromium();
    db = await openPglite(undefined);
    bank = await startBank(db);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await bank?.close();
    await db?.close();
  });

  it('opens an account, adds a security key, steps up with it, and refuses a synced passkey at high', async () => {
    const tab = await newPage(browser);
    const { context, page, auth } = tab;

    await trustChromiumSecurityKeys(bank, tab, 1_000);

    // 1. Open an account with a synced passkey: standard level.
    await auth.use('synced-passkey');
    const first = authorizeUrl(bank);
    await page.goto(first.url);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Sign in');
    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByRole('button', { name: 'Open an account with a passkey' }).click();
    const standard = await tokenClaims(bank, tab, first.pending);
    expect(standard).toMatchObject({ acr: ACR_STANDARD, amr: ['mfa', 'swk'] });

    // 2. Add a security key from the security settings: high level.
    await page.goto(`${bank.server.url}/account`);
    await expect.poll(() => page.getByTestId('credential').count()).toBe(1);
    await auth.use('security-key');
    await page.getByLabel('Name for the new key (optional)').fill('Blue key');
    await page.getByRole('button', { name: 'Add a passkey or security key' }).click();
    await expect.poll(() => page.getByTestId('credential').count()).toBe(2);
    expect(await page.locator('[data-class="high"] .credential-name').textContent()).toBe('Blue key');
    // The account's first security key, added from a synced-passkey session, waits out the cooling-off.
    expect(await page.locator('[data-class="high"] .badge').textContent()).toBe('Not active yet');
    expect(await page.getByTestId('level-notice').textContent()).toContain(
      'Your security key becomes active at',
    );
    bank.advance(COOLING_OFF_SECONDS * 1000 + 1000);
    expect(await page.locator('[data-class="medium"] .credential-name').textContent()).toBe('Synced passkey');

    // 3. Step up: the app asks for the high level; the page asks for the security key.
    const step = authorizeUrl(bank, { acr_values: ACR_HIGH });
    await page.goto(step.url);
    expect(await page.locator('.notice.info').textContent()).toContain('Extra security check: High level.');
    await page.getByRole('button', { name: 'Use your security key' }).click();
    const high = await tokenClaims(bank, tab, step.pending);
    expect(high).toMatchObject({ acr: ACR_HIGH, amr: ['mfa', 'hwk'], sub: standard.sub });

    // 4. A new browser with only the synced passkey cannot reach the high level.
    const synced = await auth.credentials('synced-passkey');
    const other = await newPage(browser);
    await other.auth.use('synced-passkey', synced);
    const refused = authorizeUrl(bank, { acr_values: ACR_HIGH });
    await other.page.goto(refused.url);
    expect(await other.page.locator('.notice.info').textContent()).toContain(
      'Extra security check: High level.',
    );
    await other.page.getByRole('button', { name: 'Use your security key' }).click();
    await expect
      .poll(() => other.page.getByTestId('message').textContent())
      .toContain('does not reach the level');
    expect(other.callbacks).toEqual([]);
    await other.page.getByRole('button', { name: /Cancel and return/ }).click();
    expect((await callbackFor(other, refused.pending)).get('error')).toBe('access_denied');

    // 5. The security settings opened with the synced passkey change nothing until the customer
    // confirms with the security key. (The passkey is synced back first: its counter moved on.)
    await auth.use('synced-passkey', await other.auth.credentials('synced-passkey'));
    await page.goto(`${bank.server.url}/account`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByTestId('step-up-notice').waitFor();
    expect(await page.getByRole('button', { name: 'Add a passkey or security key' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    await auth.use('security-key');
    await page.getByRole('button', { name: 'Confirm with your security key' }).click();
    await page.getByRole('button', { name: 'Add a passkey or security key' }).waitFor();
    expect(await page.getByTestId('step-up-notice').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Remove' }).count()).toBe(2);

    await other.context.close();
    await context.close();
  }, 60_000);
});
