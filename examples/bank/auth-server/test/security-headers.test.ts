// The security headers of the bank's pages (helmet), exactly, and what keeps the content security
// policy compatible with them: no page has inline code (the browser tests run the pages under it).
import { type Db, openPglite } from '@stepup-example/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, openAccount, TestBrowser } from './helpers/client.js';
import { type Bank, startBank } from './helpers/setup.js';

const HEADERS = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-powered-by',
  'x-xss-protection',
];

const securityHeaders = (response: Response) =>
  Object.fromEntries(HEADERS.map((name) => [name, response.headers.get(name)]));

const pageHeaders = (formAction: string) => ({
  'content-security-policy': `default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;object-src 'none';base-uri 'none';form-action ${formAction};frame-ancestors 'none'`,
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-powered-by': null,
  'x-xss-protection': '0',
});

/** Inline code a `script-src 'self'; style-src 'self'` policy would block. */
function inlineCode(page: string): string[] {
  const found: string[] = [];
  for (const tag of page.match(/<script\b[^>]*>/gi) ?? []) if (!/\bsrc=/i.test(tag)) found.push(tag);
  found.push(...(page.match(/<style\b/gi) ?? []));
  found.push(...(page.match(/\sstyle=/gi) ?? []));
  found.push(...(page.match(/\son[a-z]+=/gi) ?? []));
  found.push(...(page.match(/javascript:/gi) ?? []));
  return found;
}

describe('security headers', () => {
  let db: Db;
  let bank: Bank;

  beforeAll(async () => {
    db = await openPglite(undefined);
    bank = await startBank(db);
  });
  afterAll(async () => {
    await bank?.close();
    await db?.close();
  });

  it("are helmet's on every page, with a policy that loads scripts and styles from the server only", async () => {
    const b = new TestBrowser(bank.server.url);
    const pending = await authorize(b);
    const signInPage = await b.request(pending.location);
    const pages = [
      await b.request('/'),
      signInPage,
      await b.request('/account'),
      // The error page (a browser without the interaction's cookie).
      await new TestBrowser(bank.server.url).request('/interaction/does-not-exist'),
    ];
    expect(pages.map((page) => page.status)).toEqual([200, 200, 200, 400]);
    for (const page of pages) {
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(securityHeaders(page)).toEqual(pageHeaders("'self'"));
      const body = await page.text();
      expect(inlineCode(body)).toEqual([]);
    }
  });

  it('let the sign-out page send its form on to the web app, and keep the settings page free of inline code', async () => {
    const b = new TestBrowser(bank.server.url);
    await openAccount(b, bank.syncedPasskey());
    const settings = await b.request('/account');
    expect(inlineCode(await settings.text())).toEqual([]);
    const logout = await b.request('/session/end?client_id=bank-web');
    expect(logout.status).toBe(200);
    expect(securityHeaders(logout)).toEqual(pageHeaders("'self' http://localhost:5173"));
    const body = await logout.text();
    expect(body).toContain('op.logoutForm');
    expect(inlineCode(body)).toEqual([]);
  });

  it('are only nosniff on scripts, styles and the protocol endpoints', async () => {
    for (const path of [
      '/assets/bank.js',
      '/assets/bank.css',
      '/assets/simplewebauthn-browser.js',
      '/jwks',
      '/.well-known/openid-configuration',
    ]) {
      const response = await fetch(`${bank.server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('content-security-policy'), path).toBeNull();
    }
    // @simplewebauthn/browser's UMD bundle, from the installed package (where its manifest says).
    const bundle = await fetch(`${bank.server.url}/assets/simplewebauthn-browser.js`);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const script = await bundle.text();
    expect(script).toContain('SimpleWebAuthnBrowser');
    expect(script).toContain('startRegistration');
  });
});
