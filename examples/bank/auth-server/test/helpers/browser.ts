// The auth-server's pages in headless Chromium: a page with its CDP virtual authenticators, the
// authorization requests of the web app, and the tokens it would get back (the app itself does not run
// here: the browser's requests to its callback are recorded and answered with an empty page, so the
// navigation ends there rather than on Chromium's error page, which could otherwise land after, and
// interrupt, the test's next page.goto).
import { createHash, randomBytes } from 'node:crypto';
import {
  Authenticators,
  CHROMIUM_AAGUID,
  captureSecurityKeyAttestation,
  mdsEntry,
} from '@stepup-example/testkit';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { API, exchange, type Pending, WEB } from './client.js';
import type { Bank } from './setup.js';

/** A browser context on the bank's pages. */
export interface BankPage {
  context: BrowserContext;
  page: Page;
  /** The app's callback URLs the browser was sent to, once each. */
  callbacks: string[];
  auth: Authenticators;
}

export async function newPage(browser: Browser): Promise<BankPage> {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const callbacks: string[] = [];
  await context.route(
    (url) => url.href.startsWith(WEB.redirect_uri),
    async (route) => {
      const url = route.request().url();
      if (!callbacks.includes(url)) callbacks.push(url);
      await route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: '<!doctype html><title>app</title>',
      });
    },
  );
  const page = await context.newPage();
  return { context, page, callbacks, auth: await Authenticators.attach(context, page) };
}

/** An authorization request of the web app (code + PKCE), with `params` such as `acr_values`. */
export function authorizeUrl(
  bank: Bank,
  params: Record<string, string> = {},
): { url: string; pending: Pending } {
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

/** The authorization response of `pending` once the browser is sent back to the app (exactly once). */
export async function callbackFor(
  tab: Pick<BankPage, 'page' | 'callbacks'>,
  pending: Pending,
): Promise<URLSearchParams> {
  const mine = () => tab.callbacks.filter((url) => new URL(url).searchParams.get('state') === pending.state);
  await expect.poll(() => mine().length, { timeout: 10_000 }).toBeGreaterThan(0);
  expect(mine()).toHaveLength(1);
  // The page has arrived at the callback (no navigation left in flight for the next goto to race).
  await tab.page.waitForURL((url) => url.href === mine()[0], { waitUntil: 'load' });
  return new URL(String(mine()[0])).searchParams;
}

/** The verified access token the app gets for `pending`. */
export async function tokenClaims(
  bank: Bank,
  tab: Pick<BankPage, 'page' | 'callbacks'>,
  pending: Pending,
): Promise<JWTPayload> {
  const params = await callbackFor(tab, pending);
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

/**
 * Registers a throwaway credential on a security key and makes a BLOB (serial `no`) that trusts the
 * batch certificate Chromium sends in this run; then plugs in a fresh security key.
 */
export async function trustChromiumSecurityKeys(bank: Bank, tab: BankPage, no: number): Promise<void> {
  const { fmt, certificate } = await captureSecurityKeyAttestation(tab.page, tab.auth, `${bank.server.url}/`);
  expect(fmt).toBe('packed');
  await bank.store.load(
    await bank.signer.sign(no, [
      mdsEntry({
        aaguid: CHROMIUM_AAGUID,
        roots: [certificate],
        description: 'Chromium virtual security key',
      }),
    ]),
  );
  await tab.auth.use('security-key', []);
}
