// Item "one bad entry does not sink the BLOB": a malformed entry is skipped and reported (index, path,
// reason) by verifyBlob, the store's refresh events and the classification; the BLOB is refused only
// when its header, signature, no, nextUpdate, legalHeader or entries array is bad.
import { classifyRegistration, createMetadataStore, type RefreshEvent, verifyBlob } from '@stepup/mds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegistration } from './helpers/attestation.js';
import { entry, payload, signBlob } from './helpers/blob.js';
import { type BlobPki, b64, CrlServer, clock, createBlobPki, type Issued, issue } from './helpers/pki.js';

const GOOD = '0a6e3d2c-7f41-4b55-9c1e-5a1f0e0d7b21';
const BROKEN_STATEMENT = '11111111-2222-4333-8444-555555555555';
const BROKEN_REVOKED = '22222222-2222-4333-8444-555555555555';
const BROKEN_REPORTS = '33333333-2222-4333-8444-555555555555';
let crls: CrlServer;
let pki: BlobPki;
let vendorRoot: Issued;

beforeAll(async () => {
  crls = await CrlServer.start();
  pki = await createBlobPki(crls, 'Skip');
  vendorRoot = await issue({ subject: 'CN=Skip Vendor Root', ca: true });
});
afterAll(() => crls.close());

function entries() {
  const roots = [b64(vendorRoot.cert)];
  const brokenStatement = entry({ aaguid: BROKEN_STATEMENT, roots });
  (brokenStatement.metadataStatement as Record<string, unknown>).keyProtection = 'hardware';
  const brokenRevoked = entry({
    aaguid: BROKEN_REVOKED,
    roots,
    statusReports: [
      { status: 'FIDO_CERTIFIED_L2', effectiveDate: '2024-01-01' },
      { status: 'REVOKED', effectiveDate: '2025-01-01' },
    ],
  });
  (brokenRevoked.metadataStatement as Record<string, unknown>).authenticatorVersion = 'v2';
  const brokenReports = entry({ aaguid: BROKEN_REPORTS, roots });
  brokenReports.statusReports = [{ status: 'FIDO_CERTIFIED_L1', effectiveDate: '1 Jan 2024' }];
  return [
    entry({ aaguid: GOOD, roots }),
    brokenStatement,
    { aaguid: 'not-an-aaguid', statusReports: [] },
    42,
    brokenRevoked,
    brokenReports,
    { aaguid: '44444444-2222-4333-8444-555555555555' },
  ];
}

describe('malformed entries', () => {
  it('are skipped and reported with index, path and reason; the others are indexed', async () => {
    const blob = await verifyBlob(await signBlob(pki, payload(9, entries())), {
      roots: [pki.rootPem],
      now: clock,
    });
    expect(blob.entries.map((e) => e.aaguid)).toEqual([GOOD]);
    expect(blob.lookupAaguid(GOOD)?.aaguid).toBe(GOOD);
    expect(blob.lookupAaguid(BROKEN_STATEMENT)).toBeUndefined();
    expect(blob.skippedEntries.map(({ index, path }) => [index, path])).toEqual([
      [1, 'entries.1.metadataStatement.keyProtection'],
      [2, 'entries.2.aaguid'],
      [3, 'entries.3'],
      [4, 'entries.4.metadataStatement.authenticatorVersion'],
      [5, 'entries.5.statusReports.0.effectiveDate'],
      [6, 'entries.6.statusReports'],
    ]);
    for (const s of blob.skippedEntries) expect(s.reason).toMatch(/\w/);
    expect(blob.skippedEntries[1]?.reason).toBe('not an AAGUID');
    // What could be read is kept: identifiers, and the status reports when they are well-formed.
    expect(blob.skippedEntries[0]).toMatchObject({
      aaguid: BROKEN_STATEMENT,
      statusReports: [{ status: 'FIDO_CERTIFIED_L1' }],
    });
    expect(blob.skippedEntries[3]?.statusReports?.map((r) => r.status)).toEqual([
      'FIDO_CERTIFIED_L2',
      'REVOKED',
    ]);
    expect(blob.skippedEntries[4]).not.toHaveProperty('statusReports');
  });

  it('a skipped model is never high, and its readable revocation still rejects it', async () => {
    const blob = await verifyBlob(await signBlob(pki, payload(9, entries())), {
      roots: [pki.rootPem],
      now: clock,
    });
    const classify = async (aaguid: string) => {
      const leaf = await issue({ subject: 'CN=Skip Key', issuer: vendorRoot });
      const built = await buildRegistration({ aaguid, x5c: [leaf] });
      return classifyRegistration(
        { attestationObject: built.attestationObject },
        { store: blob, now: clock },
      );
    };
    expect((await classify(GOOD)).class).toBe('high');
    const statement = await classify(BROKEN_STATEMENT);
    expect([statement.class, statement.reasons]).toEqual(['medium', ['metadata_entry_invalid']]);
    expect(statement.evidence.metadata).toMatchObject({ found: true, skipped: true, source: 'blob' });
    expect(statement.evidence.attestation).toMatchObject({
      chain: 'not_checked',
      detail: 'metadata_entry_invalid',
    });
    const revoked = await classify(BROKEN_REVOKED);
    expect([revoked.class, revoked.reasons]).toEqual(['rejected', ['status_revoked']]);
    expect((await classify(BROKEN_REPORTS)).reasons).toEqual(['metadata_entry_invalid']);
  });

  it('are reported in the store refresh event of the BLOB that carries them', async () => {
    const events: RefreshEvent[] = [];
    const store = createMetadataStore({
      source: false,
      roots: [pki.rootPem],
      now: clock,
      onRefresh: (e) => events.push(e),
    });
    await store.load(await signBlob(pki, payload(9, entries())));
    await store.load(await signBlob(pki, payload(10, [entry({ aaguid: GOOD })])));
    expect(events[0]?.skippedEntries?.map((s) => s.index)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events[0]?.skippedEntries?.[0]).toMatchObject({
      path: 'entries.1.metadataStatement.keyProtection',
    });
    expect(events[1]).not.toHaveProperty('skippedEntries');
  });
});
