// The real pages in headless Chromium with CDP virtual authenticators: open an account with a
// synced passkey (standard), add a security key (high, with a test MDS BLOB made from the
// certificate Chromium sends in this run), step up with it; a synced passkey is refused at high.
import { createHash, randomBytes } from 'node:crypto';
import { type Db, openPglite } from '@stepup-example/db';
import {
  Authenticators,
  CHROMIUM_AAGUID,
  captureSecurityKeyAttestation,
  launch,
  mdsEntry,
  requireChromium,
} from '@stepup-example/testkit';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requires } from '../../../../test/services.js';
import { ACR_HIGH, ACR_STANDARD } from '../src/assurance.js';
import { API, exchange, type Pending, WEB } from './helpers/client.js';
import { type Bank, startBank } from './helpers/setup.js';

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

  async function newPage(): Promise<{
    context: BrowserContext;
    page: Page;
    callbacks: string[];
    auth: Authenticators;
  }> {
    const context = await browser.newContext();
    const callbacks: string[] = [];
    // The bank web app is not running here: record where the browser is sent back to it (the
    // request itself fails, nothing listens there).
    // Chromium may retry the failed navigation, so the same URL can show up more than once.
    context.on('request', (request) => {
      const url = request.url();
      if (url.startsWith(WEB.redirect_uri) && !callbacks.includes(url)) callbacks.push(url);
    });
    const page = await context.newPage();
    return { context, page, callbacks, auth: await Authenticators.attach(context, page) };
  }

  function authorizeUrl(params: Record<string, string> = {}): { url: string; pending: Pending } {
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(8).toString('hex');
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: WEB.client_id,
      redirect_uri: WEB.redirect_uri,
      scope: 'openid profile offline_access accounts:read transfers:write payees:write',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      state,
      resource: API,
      ...params,
    });
    return {
      url: `${bank.server.url}/auth?${query}`,
      pending: { verifier, state, redirectUri: WEB.redirect_uri, clientId: WEB.client_id, location: '' },
    };
  }

  /** The authorization response of `pending` once the browser is sent back to the app. */
  async function callbackFor(callbacks: string[], pending: Pending): Promise<URLSearchParams> {
    const find = () => callbacks.find((url) => new URL(url).searchParams.get('state') === pending.state);
    await expect.poll(find).toBeDefined();
    expect(callbacks.filter((url) => new URL(url).searchParams.get('state') === pending.state)).toHaveLength(
      1,
    );
    return new URL(String(find())).searchParams;
  }

  async function tokenClaims(callbacks: string[], pending: Pending) {
    const params = await callbackFor(callbacks, pending);
    const tokens = await exchange(bank.server.url, pending, String(params.get('code')));
    expect(tokens.status).toBe(200);
    const jwks = createRemoteJWKSet(new URL(`${bank.server.issuer}/jwks`));
    const { payload } = await jwtVerify(String(tokens.body.access_token), jwks, {
      issuer: bank.server.issuer,
      audience: API,
      typ: 'at+jwt',
      algorithms: ['ES256'],
    });
    return payload;
  }

  /** Registers a throwaway credential on a security key and makes a BLOB trusting its certificate. */
  async function trustChromiumSecurityKeys(page: Page, auth: Authenticators) {
    const { fmt, certificate } = await captureSecurityKeyAttestation(page, auth, `${bank.server.url}/`);
    expect(fmt).toBe('packed');
    await bank.store.load(
      await bank.signer.sign(1_000, [
        mdsEntry({
          aaguid: CHROMIUM_AAGUID,
          roots: [certificate],
          description: 'Chromium virtual security key',
        }),
      ]),
    );
    // Forget the throwaway credential: plug in a fresh security key.
    await auth.use('security-key', []);
  }

  it('opens an account, adds a security key, steps up with it, and refuses a synced passkey at high', async () => {
    const { context, page, callbacks, auth } = await newPage();

    await trustChromiumSecurityKeys(page, auth);

    // 1. Open an account with a synced passkey: standard level.
    await auth.use('synced-passkey');
    const first = authorizeUrl();
    await page.goto(first.url);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Sign in');
    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByRole('button', { name: 'Open an account with a passkey' }).click();
    const standard = await tokenClaims(callbacks, first.pending);
    expect(standard).toMatchObject({ acr: ACR_STANDARD, amr: ['mfa', 'swk'] });

    // 2. Add a security key from the security settings: high level.
    await page.goto(`${bank.server.url}/account`);
    await expect.poll(() => page.getByTestId('credential').count()).toBe(1);
    await auth.use('security-key');
    await page.getByLabel('Name for the new key (optional)').fill('Blue key');
    await page.getByRole('button', { name: 'Add a passkey or security key' }).click();
    await expect.poll(() => page.getByTestId('credential').count()).toBe(2);
    expect(await page.locator('[data-class="high"] .credential-name').textContent()).toBe('Blue key');
    expect(await page.locator('[data-class="high"] .badge').textContent()).toBe('High security');
    expect(await page.locator('[data-class="medium"] .credential-name').textContent()).toBe('Synced passkey');

    // 3. Step up: the app asks for the high level; the page asks for the security key.
    const step = authorizeUrl({ acr_values: ACR_HIGH });
    await page.goto(step.url);
    expect(await page.locator('.notice.info').textContent()).toContain('Extra security check: High level.');
    await page.getByRole('button', { name: 'Use your security key' }).click();
    const high = await tokenClaims(callbacks, step.pending);
    expect(high).toMatchObject({ acr: ACR_HIGH, amr: ['mfa', 'hwk'], sub: standard.sub });

    // 4. A new browser with only the synced passkey cannot reach the high level.
    const synced = await auth.credentials('synced-passkey');
    const other = await newPage();
    await other.auth.use('synced-passkey', synced);
    const refused = authorizeUrl({ acr_values: ACR_HIGH });
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
    expect((await callbackFor(other.callbacks, refused.pending)).get('error')).toBe('access_denied');

    await other.context.close();
    await context.close();
  });
});
