// Security settings, metadata changes and restarts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, openPglite } from '@stepup-example/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACR_STANDARD } from '../src/assurance.js';
import { startAuthServer } from '../src/start-auth-server.js';
import { SoftAuthenticator } from './helpers/authenticator.js';
import { addCredential, authorize, interactionPath, signIn, signUp, TestBrowser } from './helpers/client.js';
import { adoptRevocation, type Bank, KEY_AAGUID, REVOKED_AAGUID, startBank } from './helpers/setup.js';

describe('security settings', () => {
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

  async function customer(authenticator: SoftAuthenticator) {
    const b = new TestBrowser(bank.server.url);
    const pending = await authorize(b);
    expect((await signUp(b, pending, authenticator)).status).toBe(200);
    return b;
  }

  it('asks for a sign-in, then lists the passkeys with their level in words', async () => {
    const stranger = new TestBrowser(bank.server.url);
    const locked = await stranger.request('/account');
    expect(locked.status).toBe(200);
    expect(locked.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await locked.text()).toContain('Sign in to see and manage your passkeys');
    expect(await stranger.postJson('/account/credentials/options', {})).toMatchObject({
      status: 401,
      body: { error: 'reauthentication_required' },
    });

    const synced = bank.syncedPasskey();
    await customer(synced);
    // A new browser signs in to the settings directly (discoverable passkey, no user name).
    const b = new TestBrowser(bank.server.url);
    const options = await b.postJson('/account/signin/options', {});
    expect(options.body).not.toHaveProperty('allowCredentials');
    const answer = await b.postJson(
      '/account/signin/verify',
      synced.authenticate(options.body as never, b.origin),
    );
    expect(answer).toMatchObject({ status: 200, body: { redirectTo: '/account' } });
    const page = await (await b.request('/account')).text();
    expect(page).toContain('Synced passkey');
    expect(page).toContain('Works on all your devices');
    expect(page).toContain('Add a security key');
  });

  it('adds a certified security key as high, refuses a revoked model, keeps the last passkey', async () => {
    const b = await customer(bank.syncedPasskey());
    const only = (await b.postJson('/account/credentials/options', {})).body as {
      excludeCredentials: { id: string }[];
    };
    expect(only.excludeCredentials).toHaveLength(1);
    const page = await (await b.request('/account')).text();
    const id = /data-id="([^"]+)"/.exec(page)?.[1];
    expect(id).toBeUndefined(); // no remove button on the only passkey
    const sole = await b.postJson(`/account/credentials/${only.excludeCredentials[0]?.id}/delete`, {});
    expect(sole).toMatchObject({ status: 409, body: { error: 'last_credential' } });

    const revoked = new SoftAuthenticator({
      aaguid: REVOKED_AAGUID,
      backupEligible: false,
      attestation: bank.vendor.attestation,
    });
    expect(await addCredential(b, revoked)).toMatchObject({
      status: 403,
      body: { error: 'authenticator_refused' },
    });

    const key = bank.securityKey();
    expect(await addCredential(b, key, 'Blue key')).toMatchObject({
      status: 200,
      body: { class: 'high', acr: ACR_STANDARD },
    });
    const listed = await (await b.request('/account')).text();
    expect(listed).toContain('Blue key');
    expect(listed).toContain('Not active yet');
    expect(listed).toContain('Your security key becomes active at');
    const removed = await b.postJson(`/account/credentials/${key.credentials[0]?.id}/delete`, {});
    expect(removed).toMatchObject({ status: 200, body: { removed: key.credentials[0]?.id } });
  });

  it('needs a recent sign-in to change passkeys', async () => {
    const b = await customer(bank.syncedPasskey());
    bank.clock.offsetMs += 301_000;
    try {
      expect(await addCredential(b, bank.securityKey())).toMatchObject({
        status: 401,
        body: { error: 'reauthentication_required' },
      });
      expect(await (await b.request('/account')).text()).toContain("Please confirm it's you.");
    } finally {
      bank.clock.offsetMs -= 301_000;
    }
  });

  it('re-classifies stored keys when a new BLOB revokes their model; they can no longer sign in', async () => {
    const key = bank.securityKey();
    const b = await customer(bank.syncedPasskey());
    expect((await addCredential(b, key)).status).toBe(200);
    await adoptRevocation(bank, 2, KEY_AAGUID);
    const changes = await bank.server.reclassify();
    expect(changes.filter((c) => c.id === key.credentials[0]?.id)).toEqual([
      expect.objectContaining({
        before: 'high',
        after: 'rejected',
        reasons: expect.arrayContaining(['status_revoked']),
      }),
    ]);
    expect(
      bank.logs.some((l) => l.event === 'credential.reclassified' && l.fields.after === 'rejected'),
    ).toBe(true);

    const fresh = new TestBrowser(bank.server.url);
    const pending = await authorize(fresh);
    const refused = await signIn(fresh, pending, key);
    expect(refused).toMatchObject({ status: 403, body: { error: 'credential_disabled' } });
    expect(await (await b.request('/account')).text()).toContain('Disabled');
    expect(interactionPath(pending)).toMatch(/^\/interaction\//);
  });
});

describe('restarts', () => {
  it('keeps its signing keys and accounts in the data directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'as-restart-'));
    try {
      const first = await openPglite(dir);
      const one = await startAuthServer({ port: 0, db: first });
      const jwks1 = await (await fetch(`${one.url}/jwks`)).json();
      await one.close();
      await first.close();
      const second = await openPglite(dir);
      const two = await startAuthServer({ port: 0, db: second });
      const jwks2 = await (await fetch(`${two.url}/jwks`)).json();
      await two.close();
      await second.close();
      expect(jwks2).toEqual(jwks1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an issuer that is not on localhost before listening', async () => {
    await expect(startAuthServer({ port: 0, issuer: 'http://127.0.0.1:4000' })).rejects.toMatchObject({
      code: 'ERR_CONFIG',
    });
    await expect(startAuthServer({ port: 0, challengeTtlSeconds: 0 })).rejects.toMatchObject({
      code: 'ERR_CONFIG',
    });
  });
});
