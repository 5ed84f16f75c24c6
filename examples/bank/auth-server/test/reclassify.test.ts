import { describe, expect, it } from 'vitest';
import { postgresVariant } from '../../../../test/services.js';
import { accounts } from '../src/accounts/store.js';
import { ACR_HIGH, ACR_STANDARD } from '../src/assurance.js';
import type { SoftAuthenticator } from './helpers/authenticator.js';
import {
  addCredential,
  authorize,
  interactionPath,
  openAccount,
  signIn,
  TestBrowser,
  tokenAcr,
} from './helpers/client.js';
import { databases } from './helpers/db.js';
import {
  adoptRevocation,
  bankForSuite,
  COOLING_OFF_SECONDS,
  KEY_AAGUID,
  vendorEntries,
} from './helpers/setup.js';

describe.each(databases)('re-classification on $name', (database) => {
  const suite = bankForSuite(database, { blob: 'none' });
  const browser = () => new TestBrowser(suite.bank.server.url);

  async function open(authenticator: SoftAuthenticator) {
    const b = browser();
    await openAccount(b, authenticator);
    return b;
  }

  async function highAttempt(authenticator: SoftAuthenticator) {
    const b = browser();
    const pending = await authorize(b, { acr_values: ACR_HIGH });
    return tokenAcr(b, pending, await signIn(b, pending, authenticator));
  }

  const reclassifiedLines = () => suite.bank.logs.filter((l) => l.event === 'credential.reclassified');

  it('rates a key added before any metadata high once a BLOB lists its model, and says so', async () => {
    // Account A opened with the key itself (active at once); account B adds one from a synced-passkey session.
    const key = suite.bank.securityKey();
    const a = await open(key);
    const later = suite.bank.securityKey();
    const b = await open(suite.bank.syncedPasskey());
    expect(await addCredential(b, later, 'Later key')).toMatchObject({
      status: 200,
      body: { class: 'medium', acr: ACR_STANDARD },
    });
    const stored = await accounts.credential(suite.db, String(key.credentials[0]?.id));
    expect(stored).toMatchObject({
      class: 'medium',
      reasons: expect.arrayContaining(['metadata_unavailable']),
    });
    const settings = await (await a.request('/account')).text();
    expect(settings).toContain('This model is not recognised yet.');
    expect(settings).not.toContain('Add a security key');
    const high = await authorize(a, { acr_values: ACR_HIGH });
    const page = await (await a.request(interactionPath(high))).text();
    expect(page).toContain('is a model Stepup Bank does not recognise yet');
    expect(page).not.toContain('add one from');
    expect(await highAttempt(key)).toBe('credential_too_weak');

    // The BLOB arrives.
    const before = reclassifiedLines().length;
    await suite.bank.store.load(await suite.bank.signer.sign(1, vendorEntries(suite.bank.vendor)));
    const changes = await suite.bank.server.reclassify();
    expect(changes.map((c) => [c.id, c.before, c.after])).toEqual(
      expect.arrayContaining([
        [key.credentials[0]?.id, 'medium', 'high'],
        [later.credentials[0]?.id, 'medium', 'high'],
      ]),
    );
    expect(reclassifiedLines().slice(before)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'warn',
          fields: expect.objectContaining({
            credential: key.credentials[0]?.id,
            before: 'medium',
            after: 'high',
          }),
        }),
      ]),
    );
    const rated = await (await a.request('/account')).text();
    expect(rated).toContain('High security');
    expect(rated).toMatch(/Re-rated on [0-9-]+ [0-9:]+ UTC:\s+was Standard, now High security\./);
    expect(rated).toContain('re-rated');
    expect(await highAttempt(key)).toBe(ACR_HIGH);

    // B's key was added from a synced-passkey session: rated high now, it still waits out its period.
    expect(await highAttempt(later)).toBe('credential_pending');
    suite.bank.advance(COOLING_OFF_SECONDS * 1000 + 1000);
    expect(await highAttempt(later)).toBe(ACR_HIGH);

    // Nothing new: nothing changes, nothing is logged.
    const count = reclassifiedLines().length;
    expect(await suite.bank.server.reclassify()).toEqual([]);
    expect(reclassifiedLines()).toHaveLength(count);
  });

  it('reads version-1 evidence as before: carried chain results, downgraded by a revocation, never upgraded', async () => {
    const owner = suite.bank.syncedPasskey();
    await open(owner);
    const accountId = String(
      (await accounts.credential(suite.db, String(owner.credentials[0]?.id)))?.accountId,
    );
    const v1 = (cls: 'high' | 'medium', chain: 'verified' | 'failed') => ({
      version: 1,
      class: cls,
      reasons:
        cls === 'high'
          ? ['device_bound', 'user_verified', 'attestation_verified']
          : ['attestation_chain_failed'],
      fmt: 'packed',
      aaguid: KEY_AAGUID,
      flags: { up: true, uv: true, be: false, bs: false },
      classifiedAt: new Date(suite.bank.clock.now() - 86_400_000).toISOString(),
      attestation: { kind: 'x5c', chain, ...(chain === 'verified' ? { match: 'issued_by' } : {}) },
      metadata: { found: true, blobNo: 1, description: 'Acme Key 5', status: 'FIDO_CERTIFIED_L2' },
    });
    for (const [id, cls, chain] of [
      ['legacy-verified', 'high', 'verified'],
      ['legacy-failed', 'medium', 'failed'],
    ] as const) {
      await accounts.insertCredential(suite.db, {
        id,
        accountId,
        publicKey: 'AA',
        counter: 0,
        transports: ['usb'],
        backupEligible: false,
        backedUp: false,
        aaguid: KEY_AAGUID,
        fmt: 'packed',
        class: cls,
        reasons: [],
        evidence: v1(cls, chain),
        label: id,
        createdAt: suite.bank.clock.now(),
        lastUsedAt: null,
        activeAt: 0,
        addedByAcr: null,
      });
    }
    const skipped = () => suite.bank.logs.filter((l) => l.event === 'credential.reclassify_skipped').length;
    const skippedBefore = skipped();
    // The current BLOB lists the model as certified: the carried results stand.
    const same = await suite.bank.server.reclassify();
    expect(same.filter((c) => c.id.startsWith('legacy-'))).toEqual([]);
    expect(skipped()).toBe(skippedBefore);
    expect((await accounts.credential(suite.db, 'legacy-failed'))?.class).toBe('medium');
    expect((await accounts.credential(suite.db, 'legacy-verified'))?.evidence).toMatchObject({ version: 2 });

    // A newer BLOB revokes the model: the verified one is downgraded.
    await adoptRevocation(suite.bank, 2, KEY_AAGUID);
    const revoked = await suite.bank.server.reclassify();
    expect(revoked.filter((c) => c.id.startsWith('legacy-')).map((c) => [c.id, c.before, c.after])).toEqual(
      expect.arrayContaining([
        ['legacy-verified', 'high', 'rejected'],
        ['legacy-failed', 'medium', 'rejected'],
      ]),
    );
  });
});

postgresVariant('re-classification on PostgreSQL');
