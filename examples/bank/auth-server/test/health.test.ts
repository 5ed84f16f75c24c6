import { openPglite } from '@stepup-example/db';
import { type DbFaults, withFaults } from '@stepup-example/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, interactionPath, type Pending, TestBrowser } from './helpers/client.js';
import { type Bank, startBank } from './helpers/setup.js';

// Liveness, readiness, and every kind of route while the database is away: the bank's JSON routes,
// its pages, and the provider's own routes answer 503 with Retry-After, never a crash or a 500.
// The faults are switched on in front of a real PGlite (see withFaults); the fault-injection suite
// stops a real PostgreSQL under this server.
describe('the authorization server while its database is away', () => {
  let bank: Bank;
  let faults: DbFaults;
  let browser: TestBrowser;
  let pending: Pending;

  beforeAll(async () => {
    const faulty = withFaults(await openPglite(undefined));
    faults = faulty.faults;
    bank = await startBank(faulty.db, { readiness: { intervalMs: 0, maxAgeMs: 0 } });
    browser = new TestBrowser(bank.server.url);
    pending = await authorize(browser);
  });
  afterAll(() => bank.close());

  it('is live and ready while the database answers', async () => {
    const live = await fetch(`${bank.server.url}/health/live`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
    for (const path of ['/health', '/health/ready']) {
      const ready = await fetch(`${bank.server.url}${path}`);
      expect([ready.status, ready.headers.get('cache-control'), await ready.json()]).toEqual([
        200,
        'no-store',
        { status: 'ready', dependencies: { database: 'up' } },
      ]);
    }
  });

  it('answers 503 with Retry-After on JSON routes, pages and provider routes; discovery still answers', async () => {
    faults.down = true;
    const ready = await fetch(`${bank.server.url}/health/ready`);
    expect([ready.status, ready.headers.get('retry-after'), await ready.json()]).toEqual([
      503,
      '1',
      { status: 'unavailable', dependencies: { database: 'down' } },
    ]);
    const options = await browser.request(`${interactionPath(pending)}/signin/options`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect([options.status, options.headers.get('retry-after'), await options.json()]).toEqual([
      503,
      '1',
      {
        error: 'temporarily_unavailable',
        message: 'The bank is briefly unavailable. Please try again in a moment.',
      },
    ]);
    const page = await browser.request(interactionPath(pending));
    expect([page.status, page.headers.get('retry-after')]).toEqual([503, '1']);
    expect(await page.text()).toContain('The bank is briefly unavailable');
    const token = await fetch(`${bank.server.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: 'bank-web',
        code: 'no-such-code',
        redirect_uri: 'http://localhost:5173/callback',
        code_verifier: 'v'.repeat(43),
      }),
    });
    expect([token.status, token.headers.get('retry-after'), await token.json()]).toEqual([
      503,
      '1',
      {
        error: 'temporarily_unavailable',
        error_description: 'The service is briefly unavailable; please try again in a moment.',
      },
    ]);
    const discovery = await fetch(`${bank.server.url}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    expect(bank.logs.filter((l) => l.event === 'dependency.down').map((l) => l.fields)).toEqual([
      { dependency: 'database', reason: 'DbError: The database cannot be reached.' },
    ]);
  });

  it('serves again when the database is back, the pending sign-in included', async () => {
    faults.down = false;
    expect((await fetch(`${bank.server.url}/health/ready`)).status).toBe(200);
    expect(bank.logs.filter((l) => l.event === 'dependency.up').map((l) => l.fields.dependency)).toEqual([
      'database',
    ]);
    const options = await browser.postJson(`${interactionPath(pending)}/signin/options`, {});
    expect(options.status).toBe(200);
  });
});
