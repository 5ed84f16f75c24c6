// reevaluate runs the whole classification again for every stored credential, chains included, and
// answers per credential: upgrades (a model listed since) as well as downgrades (a model revoked since).
import {
  type ClassificationEvidence,
  classifyRegistration,
  createMetadataStore,
  reevaluate,
  type VerifiedBlob,
  verifyBlob,
} from '@stepup/mds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegistration, type Flags } from './helpers/attestation.js';
import { type EntryInput, entry, payload, signBlob } from './helpers/blob.js';
import {
  type BlobPki,
  b64,
  CrlServer,
  clock,
  createBlobPki,
  type Issued,
  issue,
  NOW,
} from './helpers/pki.js';

const SECURITY_KEY = '11111111-2222-4333-8444-555555555555';
const OTHER_KEY = '22222222-2222-4333-8444-555555555555';
const DAY = 86_400_000;
const HIGH = [
  'device_bound',
  'user_verified',
  'attestation_verified',
  'certified',
  'hardware_key_protection',
];
let crls: CrlServer;
let pki: BlobPki;
let vendorRoot: Issued;

beforeAll(async () => {
  crls = await CrlServer.start();
  pki = await createBlobPki(crls, 'Reeval');
  vendorRoot = await issue({ subject: 'CN=Vendor Root', ca: true });
});
afterAll(() => crls.close());

async function blob(no: number, ...entries: EntryInput[]): Promise<VerifiedBlob> {
  return verifyBlob(await signBlob(pki, payload(no, entries.map(entry))), {
    roots: [pki.rootPem],
    now: clock,
  });
}

async function registerWith(
  store: VerifiedBlob | undefined,
  aaguid: string,
  o: { flags?: Flags; root?: Issued; notAfter?: Date } = {},
) {
  const leaf = await issue({
    subject: 'C=US, O=Vendor, OU=Authenticator Attestation, CN=Key',
    issuer: o.root ?? vendorRoot,
    ...(o.notAfter ? { notAfter: o.notAfter } : {}),
  });
  const built = await buildRegistration({ aaguid, x5c: [leaf], flags: o.flags ?? { uv: true } });
  return classifyRegistration(
    { attestationObject: built.attestationObject },
    { ...(store ? { store } : {}), now: clock },
  );
}

/** Stored as JSON in a database and read back. */
const stored = (id: string, evidence: ClassificationEvidence) => ({
  id,
  evidence: JSON.parse(JSON.stringify(evidence)) as unknown,
});
const summary = (r: Awaited<ReturnType<typeof reevaluate>>[number]) =>
  r.ok ? [r.id, r.before, r.after, r.changed, r.reasons] : [r.id, r.error.code];

describe('reevaluate', () => {
  it('answers for every credential, in order: changed or not, and a bad evidence only fails its own', async () => {
    const roots = [b64(vendorRoot.cert)];
    const v1 = await blob(1, { aaguid: SECURITY_KEY, roots }, { aaguid: OTHER_KEY, roots });
    const first = await registerWith(v1, SECURITY_KEY);
    const second = await registerWith(v1, OTHER_KEY);
    const synced = await registerWith(v1, OTHER_KEY, { flags: { uv: true, be: true, bs: true } });
    expect([first.class, second.class, synced.class]).toEqual(['high', 'high', 'medium']);
    const v2 = await blob(
      2,
      { aaguid: SECURITY_KEY, roots },
      {
        aaguid: OTHER_KEY,
        roots,
        statusReports: [
          { status: 'FIDO_CERTIFIED_L1', effectiveDate: '2024-01-01' },
          { status: 'REVOKED', effectiveDate: '2025-05-01' },
        ],
      },
    );
    const results = await reevaluate(
      [
        stored('a', first.evidence),
        { id: 'bad', evidence: { version: 3 } },
        stored('b', second.evidence),
        stored('c', synced.evidence),
      ],
      { store: v2, now: clock },
    );
    expect(results.map(summary)).toEqual([
      ['a', 'high', 'high', false, HIGH],
      ['bad', 'ERR_EVIDENCE_INVALID'],
      ['b', 'high', 'rejected', true, ['status_revoked']],
      ['c', 'medium', 'rejected', true, ['status_revoked']],
    ]);
    const b = results[2];
    expect(b?.ok && b.evidence).toMatchObject({
      version: 2,
      class: 'rejected',
      metadata: { blobNo: 2, status: 'REVOKED', source: 'blob' },
      registeredAt: new Date(NOW).toISOString(),
    });
    expect(results[0]?.ok && results[0].evidence.metadata.blobNo).toBe(2);
  });

  it('upgrades a key registered without metadata once a BLOB lists its model with roots its chain reaches', async () => {
    const none = await registerWith(undefined, SECURITY_KEY);
    expect([none.class, none.reasons]).toEqual(['medium', ['metadata_unavailable']]);
    expect(none.evidence.attestation).toMatchObject({ kind: 'x5c', chain: 'not_checked' });
    const noRoots = await registerWith(await blob(3, { aaguid: SECURITY_KEY }), SECURITY_KEY);
    expect(noRoots.reasons).toEqual(['metadata_no_roots']);
    const listed = await blob(4, { aaguid: SECURITY_KEY, roots: [b64(vendorRoot.cert)] });
    const results = await reevaluate([stored('n', none.evidence), stored('r', noRoots.evidence)], {
      store: listed,
      now: clock,
    });
    expect(results.map(summary)).toEqual([
      ['n', 'medium', 'high', true, HIGH],
      ['r', 'medium', 'high', true, HIGH],
    ]);
    expect(results[0]?.ok && results[0].evidence.attestation).toMatchObject({
      chain: 'verified',
      match: 'issued_by',
    });
  });

  it('verifies the chain against the roots of today: rotated roots downgrade, and only roots the chain reaches upgrade', async () => {
    const otherRoot = await issue({ subject: 'CN=Vendor Root', ca: true }); // same name, another key
    const v1 = await blob(5, { aaguid: SECURITY_KEY, roots: [b64(vendorRoot.cert)] });
    const high = await registerWith(v1, SECURITY_KEY);
    const rotated = await blob(6, { aaguid: SECURITY_KEY, roots: [b64(otherRoot.cert)] });
    const [result] = await reevaluate([stored('h', high.evidence)], { store: rotated, now: clock });
    expect(result && summary(result)).toEqual(['h', 'high', 'medium', true, ['attestation_chain_failed']]);
    expect(result?.ok && result.evidence.attestation).toMatchObject({
      chain: 'failed',
      detail: 'untrusted_root',
    });
  });

  it('verifies the chain as of the registration: a certificate expired since still attests what it attested', async () => {
    const notAfter = new Date(NOW.getTime() + DAY);
    const none = await registerWith(undefined, SECURITY_KEY, { notAfter });
    const later = NOW.getTime() + 30 * DAY;
    const listed = await blob(7, { aaguid: SECURITY_KEY, roots: [b64(vendorRoot.cert)] });
    const [result] = await reevaluate([stored('x', none.evidence)], { store: listed, now: () => later });
    expect(result && summary(result)).toEqual(['x', 'medium', 'high', true, HIGH]);
    expect(result?.ok && result.evidence).toMatchObject({
      registeredAt: new Date(NOW).toISOString(),
      classifiedAt: new Date(later).toISOString(),
    });
  });

  it('applies the policy in force now, and works from a store', async () => {
    const v1 = await blob(8, { aaguid: SECURITY_KEY, roots: [b64(vendorRoot.cert)] });
    const result = await registerWith(v1, SECURITY_KEY);
    const store = createMetadataStore({ source: false, roots: [pki.rootPem], now: clock });
    await store.load(
      await signBlob(pki, payload(9, [entry({ aaguid: SECURITY_KEY, roots: [b64(vendorRoot.cert)] })])),
    );
    const list = [stored('x', result.evidence)];
    expect((await reevaluate(list, { store, now: clock })).map(summary)).toEqual([
      ['x', 'high', 'high', false, HIGH],
    ]);
    const strict = await reevaluate(list, {
      store,
      now: clock,
      policy: { minCertificationLevel: 'FIDO_CERTIFIED_L3' },
    });
    expect(strict.map(summary)).toEqual([['x', 'high', 'medium', true, ['certification_insufficient']]]);
  });

  it('downgrades when the entry disappears, and keeps unattested keys as they were', async () => {
    const v1 = await blob(10, { aaguid: SECURITY_KEY, roots: [b64(vendorRoot.cert)] });
    const high = await registerWith(v1, SECURITY_KEY);
    const none = await classifyRegistration(
      { attestationObject: (await buildRegistration({ fmt: 'none' })).attestationObject },
      { store: v1, now: clock },
    );
    const results = await reevaluate([stored('h', high.evidence), stored('n', none.evidence)], {
      store: await blob(11),
      now: clock,
    });
    expect(results.map(summary)).toEqual([
      ['h', 'high', 'medium', true, ['metadata_not_found']],
      ['n', 'medium', 'medium', false, ['attestation_none']],
    ]);
  });

  it('reads evidence version 1 (written by the previous release): its chain result is carried', async () => {
    // As the previous release stored it: no chain, no registeredAt.
    const v1Evidence = {
      version: 1,
      class: 'high',
      reasons: HIGH,
      fmt: 'packed',
      aaguid: SECURITY_KEY,
      attestationKeyId: '8d2e3ef6a1b3a6b2b2a6a1f0c3d4e5f60718293a',
      flags: { up: true, uv: true, be: false, bs: false },
      attestation: { kind: 'x5c', chain: 'verified', match: 'issued_by' },
      metadata: { blobNo: 1, found: true, lookup: 'aaguid', status: 'FIDO_CERTIFIED_L1' },
      classifiedAt: '2025-01-02T03:04:05.000Z',
    };
    const roots = [b64(vendorRoot.cert)];
    const revokedBlob = await blob(12, {
      aaguid: SECURITY_KEY,
      roots,
      statusReports: [{ status: 'REVOKED', effectiveDate: '2025-05-01' }],
    });
    const [revoked] = await reevaluate([{ id: 'v1', evidence: v1Evidence }], {
      store: revokedBlob,
      now: clock,
    });
    expect(revoked && summary(revoked)).toEqual(['v1', 'high', 'rejected', true, ['status_revoked']]);
    const [kept] = await reevaluate([{ id: 'v1', evidence: v1Evidence }], {
      store: await blob(13, { aaguid: SECURITY_KEY, roots }),
      now: clock,
    });
    expect(kept && summary(kept)).toEqual(['v1', 'high', 'high', false, HIGH]);
    expect(kept?.ok && kept.evidence).toMatchObject({
      version: 2,
      registeredAt: '2025-01-02T03:04:05.000Z',
      attestation: { kind: 'x5c', chain: 'verified' },
    });
    expect(kept?.ok && kept.evidence.attestation.x5c).toBeUndefined();
    // The converted evidence is read again the same way.
    const again = await reevaluate([{ id: 'v1', evidence: kept?.ok && kept.evidence }], {
      store: revokedBlob,
      now: clock,
    });
    expect(again.map(summary)).toEqual([['v1', 'high', 'rejected', true, ['status_revoked']]]);
  });

  it('a stored chain that is not a certificate fails that credential with ERR_EVIDENCE_INVALID', async () => {
    const high = await registerWith(
      await blob(14, { aaguid: SECURITY_KEY, roots: [b64(vendorRoot.cert)] }),
      SECURITY_KEY,
    );
    const tampered = {
      ...high.evidence,
      attestation: { ...high.evidence.attestation, x5c: ['bm90IGEgY2VydA=='] },
    };
    const [result] = await reevaluate([{ id: 't', evidence: tampered }], { now: clock });
    expect(result && summary(result)).toEqual(['t', 'ERR_EVIDENCE_INVALID']);
  });

  it('refuses bad options before looking at any credential, naming them', async () => {
    await expect(
      // @ts-expect-error a misspelt option
      reevaluate([{ id: 'a', evidence: {} }], { polcy: { minCertificationLevel: 'FIDO_CERTIFIED_L3' } }),
    ).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
      details: { issues: [{ path: 'polcy', message: 'unknown option' }] },
    });
  });
});
