// Demo trust: the local statement for Chrome's virtual security key trusts exactly Chromium's published
// attestation key, only in demo mode, never a synced passkey, and a BLOB entry for the model wins. The
// attestations are made here the way Chromium makes them (tests without a browser: browser.test.ts
// does the same with Chromium itself).
import { X509Certificate } from 'node:crypto';
import { type Db, openPglite } from '@stepup-example/db';
import {
  CHROMIUM_AAGUID,
  CHROMIUM_ATTESTATION_PUBLIC_POINT,
  CHROMIUM_BATCH_SUBJECT,
  chromiumLikeAttestation,
} from '@stepup-example/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accounts } from '../src/accounts/store.js';
import { ACR_STANDARD } from '../src/assurance.js';
import { CHROME_VIRTUAL_AUTHENTICATOR_STATEMENT } from '../src/webauthn/demo-trust.js';
import { SoftAuthenticator } from './helpers/authenticator.js';
import { addCredential, authorize, interactionPath, openAccount, TestBrowser } from './helpers/client.js';
import { adoptRevocation, type Bank, startBank } from './helpers/setup.js';

const DEMO = { demoTrust: 'chrome-virtual-authenticator', blob: 'none' } as const;

/** A device-bound key answering with `attestation` under Chromium's AAGUID, as the DevTools panel's does. */
function virtualKey(
  attestation: Awaited<ReturnType<typeof chromiumLikeAttestation>>,
  backupEligible = false,
) {
  return new SoftAuthenticator({ aaguid: CHROMIUM_AAGUID, backupEligible, attestation });
}

describe('the demo trust statement', () => {
  it("roots in a self-signed certificate with Chromium's batch name and published attestation key", () => {
    const { metadataStatement, aaguid } = CHROME_VIRTUAL_AUTHENTICATOR_STATEMENT;
    expect(aaguid).toBe(CHROMIUM_AAGUID);
    const roots = metadataStatement.attestationRootCertificates ?? [];
    expect(roots).toHaveLength(1);
    const root = new X509Certificate(Buffer.from(String(roots[0]), 'base64'));
    expect(root.subject.split('\n').join(', ')).toBe(CHROMIUM_BATCH_SUBJECT);
    expect(root.checkIssued(root)).toBe(true);
    expect(root.verify(root.publicKey)).toBe(true);
    const jwk = root.publicKey.export({ format: 'jwk' });
    const point = `04${Buffer.from(String(jwk.x), 'base64url').toString('hex')}${Buffer.from(String(jwk.y), 'base64url').toString('hex')}`;
    expect(point).toBe(CHROMIUM_ATTESTATION_PUBLIC_POINT);
    expect(Date.parse(root.validTo)).toBeGreaterThan(Date.now());
  });
});

describe('demo trust', () => {
  let db: Db;
  let bank: Bank;

  beforeAll(async () => {
    db = await openPglite(undefined);
  });
  afterEach(async () => {
    await bank?.close();
  });
  afterAll(async () => {
    await db?.close();
  });

  async function customer() {
    const b = new TestBrowser(bank.server.url);
    await openAccount(b, bank.syncedPasskey());
    return b;
  }

  it("rates Chrome's virtual security key high in demo mode, labelled, and nothing else", async () => {
    bank = await startBank(db, DEMO);
    expect(bank.logs).toContainEqual(expect.objectContaining({ event: 'demo.trust', level: 'warn' }));
    const b = await customer();
    const key = virtualKey(await chromiumLikeAttestation());
    const added = await addCredential(b, key, 'Virtual key');
    expect(added).toMatchObject({ status: 200, body: { class: 'high', acr: ACR_STANDARD } });
    expect(await accounts.credential(db, String(key.credentials[0]?.id))).toMatchObject({
      reasons: expect.arrayContaining(['attestation_verified', 'certified', 'hardware_key_protection']),
      evidence: { metadata: { source: 'local' } },
    });
    const settings = await (await b.request('/account')).text();
    expect(settings).toContain('data-testid="demo-trust"');
    const high = await authorize(b, { acr_values: 'urn:stepup:bank:acr:high' });
    expect(await (await b.request(interactionPath(high))).text()).toContain('Demo trust.');

    // Same name, another key: not Chromium's.
    const impostor = virtualKey(
      await chromiumLikeAttestation(
        (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
          'sign',
          'verify',
        ])) as CryptoKeyPair,
      ),
    );
    expect(await addCredential(b, impostor)).toMatchObject({ status: 200, body: { class: 'medium' } });
    expect((await accounts.credential(db, String(impostor.credentials[0]?.id)))?.reasons).toContain(
      'attestation_chain_failed',
    );
    // A synced virtual passkey with the same attestation: backup eligible, so standard.
    const synced = virtualKey(await chromiumLikeAttestation(), true);
    expect(await addCredential(b, synced)).toMatchObject({ status: 200, body: { class: 'medium' } });
  });

  it('is off outside demo mode, and turning it off or on re-rates stored keys at start', async () => {
    bank = await startBank(db, { blob: 'none' });
    expect(bank.logs.some((l) => l.event === 'demo.trust')).toBe(false);
    const b = await customer();
    const key = virtualKey(await chromiumLikeAttestation());
    expect(await addCredential(b, key)).toMatchObject({ status: 200, body: { class: 'medium' } });
    expect((await accounts.credential(db, String(key.credentials[0]?.id)))?.reasons).toContain(
      'metadata_unavailable',
    );
    expect(await (await b.request('/account')).text()).not.toContain('data-testid="demo-trust"');
    await bank.close();

    const id = String(key.credentials[0]?.id);
    bank = await startBank(db, DEMO);
    expect(await accounts.credential(db, id)).toMatchObject({ class: 'high', previousClass: 'medium' });
    expect(bank.logs).toContainEqual(
      expect.objectContaining({
        event: 'credential.reclassified',
        fields: expect.objectContaining({ credential: id, before: 'medium', after: 'high' }),
      }),
    );
    await bank.close();
    bank = await startBank(db, { blob: 'none' });
    expect(await accounts.credential(db, id)).toMatchObject({ class: 'medium', previousClass: 'high' });
  });

  it('yields to a BLOB entry for the model: a revocation rejects the key even in demo mode', async () => {
    bank = await startBank(db, DEMO);
    const b = await customer();
    const key = virtualKey(await chromiumLikeAttestation());
    expect(await addCredential(b, key)).toMatchObject({ body: { class: 'high' } });
    await adoptRevocation(bank, 1, CHROMIUM_AAGUID);
    const changes = await bank.server.reclassify();
    expect(changes.find((c) => c.id === key.credentials[0]?.id)).toMatchObject({
      before: 'high',
      after: 'rejected',
      reasons: expect.arrayContaining(['status_revoked']),
      evidence: expect.objectContaining({ metadata: expect.objectContaining({ source: 'blob' }) }),
    });
  });
});
