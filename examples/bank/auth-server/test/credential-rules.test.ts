import { mdsEntry } from '@stepup-example/testkit';
import { describe, expect, it } from 'vitest';
import { postgresVariant } from '../../../../test/services.js';
import { ACR_HIGH, ACR_STANDARD } from '../src/assurance.js';
import { startAuthServer } from '../src/start-auth-server.js';
import { SoftAuthenticator } from './helpers/authenticator.js';
import {
  addCredential,
  authorize,
  interactionPath,
  openAccount,
  removeCredential,
  settingsSignIn,
  signIn,
  signUp,
  TestBrowser,
  tokenAcr,
} from './helpers/client.js';
import { databases } from './helpers/db.js';
import { bankForSuite, COOLING_OFF_SECONDS, vendorEntries } from './helpers/setup.js';

const COOLING_OFF_MS = COOLING_OFF_SECONDS * 1000;
/** A model of the test vendor that the first BLOB does not list. */
const LATE_AAGUID = '6d44ba9b-f6ec-4e3f-a0a6-2a1b3c4d5e6f';

describe.each(databases)('credential management on $name', (database) => {
  const suite = bankForSuite(database);
  const browser = () => new TestBrowser(suite.bank.server.url);

  /** Opens an account with `authenticator`; the browser keeps its sessions. */
  async function open(authenticator: SoftAuthenticator) {
    const b = browser();
    await openAccount(b, authenticator);
    return b;
  }

  async function accountCount(): Promise<number> {
    const { rows } = await suite.db.query('SELECT COUNT(*)::int AS n FROM accounts');
    return Number((rows[0] as { n: number }).n);
  }

  it('refuses every change to an account holding an active security key from a synced-passkey session', async () => {
    const key = suite.bank.securityKey();
    const synced = suite.bank.syncedPasskey();
    const owner = await open(key); // opened with the key: high at once
    expect(await addCredential(owner, synced)).toMatchObject({ status: 200, body: { acr: ACR_STANDARD } });

    // Someone with a copy of the synced passkey signs in to the settings.
    const copy = browser();
    expect((await settingsSignIn(copy, synced)).status).toBe(200);
    const page = await (await copy.request('/account')).text();
    expect(page).toContain('Confirm with your security key to make changes.');
    expect(page).not.toContain('data-action="add-credential"');
    expect(page).not.toContain('data-action="remove"');
    expect(await copy.postJson('/account/credentials/options', {})).toMatchObject({
      status: 403,
      body: { error: 'step_up_required' },
    });
    for (const id of [key.credentials[0]?.id, synced.credentials[0]?.id]) {
      expect(await removeCredential(copy, id)).toMatchObject({
        status: 403,
        body: { error: 'step_up_required' },
      });
    }
    const high = await authorize(copy, { acr_values: ACR_HIGH });
    expect(await tokenAcr(copy, high, await signIn(copy, high, synced))).toBe('credential_too_weak');
    expect(suite.bank.logs.filter((l) => l.fields.code === 'ERR_STEP_UP_REQUIRED')).toHaveLength(3);

    // Confirming with the security key (only it is offered) unlocks the changes; a key added now is active at once.
    const confirm = await copy.postJson('/account/signin/options', { acr: ACR_HIGH });
    expect((confirm.body.allowCredentials as { id: string }[]).map((c) => c.id)).toEqual([
      key.credentials[0]?.id,
    ]);
    expect(
      (await copy.postJson('/account/signin/verify', key.authenticate(confirm.body as never, copy.origin)))
        .status,
    ).toBe(200);
    const spare = suite.bank.securityKey();
    const before = suite.bank.clock.now();
    const added = await addCredential(copy, spare, 'Spare key');
    expect(added).toMatchObject({ status: 200, body: { class: 'high', acr: ACR_HIGH } });
    expectWithin(added.body.activeAt, before, suite.bank.clock.now());
    expect(await removeCredential(copy, synced.credentials[0]?.id)).toMatchObject({ status: 200 });
  });

  it('checks the level again at verify: options given while the account held standard, refused once it holds high', async () => {
    // A device-bound key of a model no metadata lists yet opens the account: standard level.
    const late = new SoftAuthenticator({
      aaguid: LATE_AAGUID,
      backupEligible: false,
      attestation: suite.bank.vendor.attestation,
    });
    const b = await open(late);
    const options = await b.postJson('/account/credentials/options', {});
    expect(options.status).toBe(200);
    // Before the answer comes, a BLOB listing the model is adopted: the account now holds the high level.
    await suite.bank.store.load(
      await suite.bank.signer.sign(2, [
        ...vendorEntries(suite.bank.vendor),
        mdsEntry({ aaguid: LATE_AAGUID, roots: [suite.bank.vendor.rootB64], description: 'Acme Key 6' }),
      ]),
    );
    expect((await suite.bank.server.reclassify()).map((c) => [c.id, c.after])).toContainEqual([
      late.credentials[0]?.id,
      'high',
    ]);
    const answer = await b.postJson('/account/credentials/verify', {
      credential: suite.bank.securityKey().register(options.body as never, b.origin),
    });
    expect(answer).toMatchObject({ status: 403, body: { error: 'step_up_required' } });
    const { rows } = await suite.db.query(
      'SELECT COUNT(*)::int AS n FROM credentials WHERE account_id = (SELECT account_id FROM credentials WHERE id = $1)',
      [late.credentials[0]?.id],
    );
    expect(rows).toEqual([{ n: 1 }]);
  });

  it("pends an account's first security key added from a synced-passkey session, announces it, then activates it", async () => {
    const synced = suite.bank.syncedPasskey();
    const b = await open(synced);
    const key = suite.bank.securityKey();
    const addedAt = suite.bank.clock.now();
    const added = await addCredential(b, key, 'Blue key');
    expect(added).toMatchObject({ status: 200, body: { class: 'high', acr: ACR_STANDARD } });
    expectWithin(added.body.activeAt, addedAt + COOLING_OFF_MS, suite.bank.clock.now() + COOLING_OFF_MS);
    expect(suite.bank.logs.findLast((l) => l.event === 'credential.added')?.fields).toMatchObject({
      class: 'high',
      sessionAcr: ACR_STANDARD,
    });

    // The known customer's high request: the page says when the key becomes active; nothing is offered.
    const high = await authorize(b, { acr_values: ACR_HIGH });
    const page = await (await b.request(interactionPath(high))).text();
    expect(page).toContain('Your security key “Blue key” becomes active at');
    expect(page).toContain('A security key “Blue key” was added to your account on');
    expect(page).not.toContain('add one from');
    expect(await b.postJson(`${interactionPath(high)}/signin/options`, {})).toMatchObject({
      status: 403,
      body: { error: 'credential_pending' },
    });
    // A browser that does not know the customer: the key itself is refused at high until then.
    const stranger = browser();
    const strangerHigh = await authorize(stranger, { acr_values: ACR_HIGH });
    expect(await tokenAcr(stranger, strangerHigh, await signIn(stranger, strangerHigh, key))).toBe(
      'credential_pending',
    );

    // Every sign-in meanwhile announces the key, whichever passkey signs in.
    for (const authenticator of [synced, key]) {
      const c = browser();
      const pending = await authorize(c);
      const answer = await signIn(c, pending, authenticator);
      expect(answer.status).toBe(200);
      expect(answer.body.notices).toEqual([expect.stringContaining('A security key “Blue key” was added')]);
      expect(await tokenAcr(c, pending, answer)).toBe(ACR_STANDARD);
    }
    const settings = await (await b.request('/account')).text();
    expect(settings).toContain('Your security key becomes active at');
    expect(settings).toContain('Not active yet');

    // One minute short of the end: still pending. Then active, and no more notice.
    suite.bank.advance(COOLING_OFF_MS - 60_000);
    const almost = await authorize(stranger, { acr_values: ACR_HIGH });
    expect(await tokenAcr(stranger, almost, await signIn(stranger, almost, key))).toBe('credential_pending');
    suite.bank.advance(60_000);
    const now = await authorize(stranger, { acr_values: ACR_HIGH });
    const answer = await signIn(stranger, now, key);
    expect(answer.body.notices).toEqual([]);
    expect(await tokenAcr(stranger, now, answer)).toBe(ACR_HIGH);
  });

  it('lets a standard session remove a pending key; adding it again starts the wait again', async () => {
    const synced = suite.bank.syncedPasskey();
    const owner = await open(synced);
    const planted = suite.bank.securityKey();
    const first = await addCredential(owner, planted, 'Not mine');
    suite.bank.advance(30 * 60_000);
    const b = browser();
    expect((await settingsSignIn(b, synced)).status).toBe(200);
    expect(await (await b.request('/account')).text()).toContain('A security key “Not mine” was added');
    expect(await removeCredential(b, String(first.body.id))).toMatchObject({ status: 200 });
    const page = await (await b.request('/account')).text();
    expect(page).toContain('“Not mine” removed');
    expect(page).not.toContain('“Not mine” was added');

    const before = suite.bank.clock.now();
    const again = await addCredential(b, planted, 'Again');
    expectWithin(again.body.activeAt, before + COOLING_OFF_MS, suite.bank.clock.now() + COOLING_OFF_MS);
    expect(Date.parse(String(again.body.activeAt))).toBeGreaterThan(Date.parse(String(first.body.activeAt)));
  });

  it('opens no account when the passkey of a sign-up does not reach the level the request asks for', async () => {
    const before = await accountCount();
    const b = browser();
    const synced = suite.bank.syncedPasskey();
    const high = await authorize(b, { acr_values: ACR_HIGH });
    expect(await signUp(b, high, synced)).toMatchObject({
      status: 403,
      body: { error: 'credential_too_weak' },
    });
    expect(await accountCount()).toBe(before);
    const { rows } = await suite.db.query('SELECT id FROM credentials WHERE id = $1', [
      synced.credentials[0]?.id,
    ]);
    expect(rows).toEqual([]);
    // The same request with a security key opens the account at the high level (account opening binds it).
    const key = suite.bank.securityKey();
    const retry = await authorize(b, { acr_values: ACR_HIGH });
    expect(await tokenAcr(b, retry, await signUp(b, retry, key))).toBe(ACR_HIGH);
    expect(await accountCount()).toBe(before + 1);
  });
});

postgresVariant('credential management on PostgreSQL');

describe('credential options', () => {
  it('waits 24 hours by default, and refuses a cooling-off period that is not positive or an unknown demo trust', async () => {
    const now = 1_780_000_000_000;
    const server = await startAuthServer({ port: 0, now: () => now });
    try {
      const b = new TestBrowser(server.url);
      expect(
        (await signUp(b, await authorize(b), new SoftAuthenticator({ backupEligible: true }))).status,
      ).toBe(200);
      const added = await addCredential(b, new SoftAuthenticator({ backupEligible: true }));
      expect(added).toMatchObject({
        status: 200,
        body: { activeAt: new Date(now + 24 * 3600 * 1000).toISOString() },
      });
    } finally {
      await server.close();
    }
    await expect(startAuthServer({ port: 0, keyCoolingOffSeconds: 0 })).rejects.toMatchObject({
      code: 'ERR_CONFIG',
      message: expect.stringContaining('keyCoolingOffSeconds'),
    });
    await expect(
      startAuthServer({ port: 0, demoTrust: 'chrome-virtual-authenticatr' as never }),
    ).rejects.toMatchObject({ code: 'ERR_CONFIG', message: expect.stringContaining('demoTrust') });
  });
});

/** `iso` (a time the server answered) lies within [from, to] (the clock moves while the request runs). */
function expectWithin(iso: unknown, from: number, to: number) {
  const at = Date.parse(String(iso));
  expect(at).toBeGreaterThanOrEqual(from);
  expect(at).toBeLessThanOrEqual(to);
}
