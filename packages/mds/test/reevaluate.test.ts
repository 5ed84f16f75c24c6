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
import { type BlobPki, b64, CrlServer, clock, createBlobPki, type Issued, issue } from './helpers/pki.js';

const SECURITY_KEY = '11111111-2222-4333-8444-555555555555';
const OTHER_KEY = '22222222-2222-4333-8444-555555555555';
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

async function registerWith(store: VerifiedBlob, aaguid: string, flags: Flags = { uv: true }) {
  const leaf = await issue({
    subject: 'C=US, O=Vendor, OU=Authenticator Attestation, CN=Key',
    issuer: vendorRoot,
  });
  const built = await buildRegistration({ aaguid, x5c: [leaf], flags });
  return classifyRegistration({ attestationObject: built.attestationObject }, { store, now: clock });
}

describe('reevaluate', () => {
  it('lists the credentials whose class a new BLOB changes, with new evidence', async () => {
    const roots = [b64(vendorRoot.cert)];
    const v1 = await blob(1, { aaguid: SECURITY_KEY, roots }, { aaguid: OTHER_KEY, roots });
    const first = await registerWith(v1, SECURITY_KEY);
    const second = await registerWith(v1, OTHER_KEY);
    const synced = await registerWith(v1, OTHER_KEY, { uv: true, be: true, bs: true });
    expect([first.class, second.class, synced.class]).toEqual(['high', 'high', 'medium']);

    // Stored as JSON in a database and read back.
    const stored = [
      { id: 'a', evidence: JSON.parse(JSON.stringify(first.evidence)) as unknown },
      { id: 'b', evidence: JSON.parse(JSON.stringify(second.evidence)) as unknown },
      { id: 'c', evidence: JSON.parse(JSON.stringify(synced.evidence)) as unknown },
    ];
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
    const changes = reevaluate(stored, v2, undefined, { now: clock });
    expect(changes.map(({ id, before, after, reasons }) => ({ id, before, after, reasons }))).toEqual([
      { id: 'b', before: 'high', after: 'rejected', reasons: ['status_revoked'] },
      { id: 'c', before: 'medium', after: 'rejected', reasons: ['status_revoked'] },
    ]);
    expect(changes[0]?.evidence).toMatchObject({
      class: 'rejected',
      metadata: { blobNo: 2, status: 'REVOKED' },
    });
    expect(changes[0]?.evidence.attestation).toEqual(second.evidence.attestation);
  });

  it('applies the policy in force now, and works from a store', async () => {
    const v1 = await blob(3, { aaguid: SECURITY_KEY, roots: [b64(vendorRoot.cert)] });
    const result = await registerWith(v1, SECURITY_KEY);
    const store = createMetadataStore({ source: false, roots: [pki.rootPem], now: clock });
    await store.load(
      await signBlob(pki, payload(4, [entry({ aaguid: SECURITY_KEY, roots: [b64(vendorRoot.cert)] })])),
    );
    const stored = [{ id: 'x', evidence: result.evidence }];
    expect(reevaluate(stored, store, undefined, { now: clock })).toEqual([]);
    const changes = reevaluate(stored, store, { minCertificationLevel: 'FIDO_CERTIFIED_L3' }, { now: clock });
    expect(changes.map((c) => [c.before, c.after, c.reasons])).toEqual([
      ['high', 'medium', ['certification_insufficient']],
    ]);
  });

  it('downgrades when the entry disappears, and keeps unattested keys as they were', async () => {
    const v1 = await blob(5, { aaguid: SECURITY_KEY, roots: [b64(vendorRoot.cert)] });
    const high = await registerWith(v1, SECURITY_KEY);
    const none = await classifyRegistration(
      { attestationObject: (await buildRegistration({ fmt: 'none' })).attestationObject },
      { store: v1, now: clock },
    );
    const v2 = await blob(6);
    const changes = reevaluate(
      [
        { id: 'h', evidence: high.evidence },
        { id: 'n', evidence: none.evidence },
      ],
      v2,
      undefined,
      { now: clock },
    );
    expect(changes.map((c) => [c.id, c.before, c.after, c.reasons])).toEqual([
      ['h', 'high', 'medium', ['metadata_not_found']],
    ]);
  });

  it('throws ERR_EVIDENCE_INVALID for evidence of another shape', async () => {
    const v1 = await blob(7);
    const bad: ClassificationEvidence | object = { version: 2 };
    expect(() => reevaluate([{ id: 'z', evidence: bad }], v1)).toThrow(
      expect.objectContaining({ code: 'ERR_EVIDENCE_INVALID' }),
    );
  });
});
