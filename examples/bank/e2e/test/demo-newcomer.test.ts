// A newcomer on a fresh machine, offline, with Chrome and no hardware key: the bank in demo mode
// (BANK_DEMO_TRUST=chrome-virtual-authenticator under `npm start`) and no FIDO metadata at all. They
// open an account with a synced passkey, add the DevTools virtual security key in the security
// settings (pending for the cooling-off period, labelled demo trust), go back to the bank and send
// 5,000 with a step-up, approved with the security key. Nothing here captures Chromium's certificate: the demo
// statement alone must trust Chromium's own attestation key.
import { Authenticators, launch, requireChromium } from '@stepup-example/testkit';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requires } from '../../../../test/services.js';
import { reviewed, reviewTransfer } from './helpers/bank-page.js';
import { type Stack, startStack } from './helpers/stack.js';

const COOLING_OFF_SECONDS = 3;

/** Pages answer slowly on a busy machine: wait up to ten seconds for what they show. */
const POLL = { timeout: 10_000 };

// In CI a missing browser is a failure, never a skip (requires()).
describe('a newcomer in demo mode', requires('chromium'), () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    requireChromium();
    stack = await startStack({
      auth: { demoTrust: 'chrome-virtual-authenticator', keyCoolingOffSeconds: COOLING_OFF_SECONDS },
    });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('opens an account, adds the virtual security key, waits out the cooling-off, and sends 5,000 approved with the key', async () => {
    expect(stack.metadata.status().hasData).toBe(false);
    const context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    const auth = await Authenticators.attach(context, page);

    // 1. Open an account with a synced passkey.
    await auth.use('synced-passkey');
    await page.goto(stack.web.url);
    await page.getByRole('button', { name: 'Open an account' }).click();
    expect(await page.getByTestId('demo-trust').textContent()).toContain('Demo trust.');
    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByRole('button', { name: 'Open an account with a passkey' }).click();
    await page.waitForURL(`${stack.web.url}/`);
    await expect
      .poll(() => page.getByTestId('session-level').textContent(), POLL)
      .toBe('Passkey · Standard level');

    // 2. Add the virtual security key: rated high by demo trust, active after the cooling-off period.
    await page.getByRole('link', { name: 'Security settings' }).click();
    await expect.poll(() => page.getByTestId('credential').count(), POLL).toBe(1);
    expect(await page.getByTestId('demo-trust').count()).toBe(1);
    await auth.use('security-key');
    await page.getByLabel('Name for the new key (optional)').fill('DevTools key');
    await page.getByRole('button', { name: 'Add a passkey or security key' }).click();
    await expect.poll(() => page.getByTestId('credential').count(), POLL).toBe(2);
    const key = page.locator('[data-testid="credential"]', { hasText: 'DevTools key' });
    expect(await key.getAttribute('data-class')).toBe('high');
    expect(await page.getByTestId('level-notice').textContent()).toContain(
      'Your security key becomes active at',
    );
    expect(await page.getByTestId('level-notice').textContent()).not.toContain('Add a security key');
    await page.waitForTimeout(COOLING_OFF_SECONDS * 1000 + 500);
    await page.reload();
    expect(await key.locator('.badge').textContent()).toBe('High security · demo trust');

    // 3. Back to the bank, and 5,000 with a step-up: approved with the security key.
    await page.getByTestId('back-to-bank').click();
    await page.waitForURL(`${stack.web.url}/`);
    await reviewTransfer(page, 'Savings account', 'Everyday account', '5000');
    expect((await reviewed(page)).amount).toBe('€5,000.00');
    await page.getByRole('button', { name: 'Send money' }).click();
    await page.getByRole('button', { name: 'Continue with passkey and one-time code' }).click();
    await page.waitForURL(`${stack.as.url}/interaction/**`);
    expect(await page.getByTestId('demo-trust').count()).toBe(1);
    // No authenticator app: the security key alone approves this elevated transfer.
    await page.getByRole('button', { name: 'Approve with your security key' }).click();
    await page.waitForURL(`${stack.web.url}/`);
    await expect
      .poll(() => page.getByTestId('notice').textContent(), POLL)
      .toBe('Sent €5,000.00 to Everyday account.');
    expect(await page.getByTestId('session-level').textContent()).toBe('Security key · High level');
    await context.close();
  }, 90_000);
});
