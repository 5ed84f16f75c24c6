// The FIDO conformance BLOB: real MDS3 data signed by a real chain ("FAKE Root FAKE").
//
// Its CRL distribution points are on mds3.certinfra.fidoalliance.org. Tests run offline and we do
// not hold the FAKE CA's keys, so no valid CRL can be served for it: the accepting tests inject a
// `fetch` that fails (as an offline network does) and choose `revocation: 'fail-open'`
// explicitly. The default (fail-closed) is shown to refuse it for exactly that reason. Revocation
// itself is tested with self-made chains and CRLs served on 127.0.0.1 (verify-blob.test.ts).
import { createHash } from 'node:crypto';
import { summarizeBlob, type VerifiedBlob, verifyBlob } from '@stepup/mds';
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONFORMANCE_NOW, conformanceBlob, conformanceRoot } from './helpers/fixtures.js';
import { CrlServer, createBlobPki } from './helpers/pki.js';

const offline: typeof fetch = async () => {
  throw new TypeError('fetch failed: network disabled in tests');
};
const options = {
  roots: [conformanceRoot()],
  now: () => CONFORMANCE_NOW,
  fetch: offline,
  revocation: 'fail-open' as const,
};

const rawSchema = z.object({
  no: z.number(),
  legalHeader: z.string(),
  entries: z.array(
    z.object({
      aaguid: z.string().optional(),
      aaid: z.string().optional(),
      statusReports: z.array(z.object({ status: z.string(), effectiveDate: z.string().optional() })),
    }),
  ),
});

let blob: VerifiedBlob;
let raw: z.infer<typeof rawSchema>;

beforeAll(async () => {
  blob = await verifyBlob(conformanceBlob(), options);
  // Independent of the package: jose only decodes (no verification) the same payload.
  raw = rawSchema.parse(decodeJwt(conformanceBlob()));
});

describe('the FIDO conformance BLOB', () => {
  it('is accepted with its root', () => {
    expect(blob.no).toBe(42);
    expect(raw.no).toBe(42);
    expect(blob.nextUpdate).toBe('2023-11-08');
    expect(blob.legalHeader).toBe(raw.legalHeader);
    expect(blob.entries).toHaveLength(200);
    expect(blob.certificates.map((c) => [c.subject.split('CN=')[1], c.revocation])).toEqual([
      ['FAKE Metadata 3 BLOB Signing Signer 4 FAKE', 'unavailable'],
      ['FAKE CA-1 FAKE', 'unavailable'],
      ['FAKE Root FAKE', 'not_checked'],
    ]);
  });

  it('is refused under the default fail-closed policy when its CRLs cannot be fetched', async () => {
    const { revocation: _, ...closed } = options;
    await expect(verifyBlob(conformanceBlob(), closed)).rejects.toMatchObject({
      code: 'ERR_REVOCATION_UNAVAILABLE',
      details: { reason: 'crl_unreachable' },
    });
  });

  it('is refused with another root', async () => {
    const crls = await CrlServer.start();
    try {
      const other = await createBlobPki(crls, 'Other');
      await expect(
        verifyBlob(conformanceBlob(), { ...options, roots: [other.rootPem] }),
      ).rejects.toMatchObject({
        code: 'ERR_BLOB_CHAIN_UNTRUSTED',
        details: { reason: 'untrusted_root' },
      });
    } finally {
      await crls.close();
    }
  });

  it('is refused with the bundled FIDO production root (the default)', async () => {
    const { roots: _, ...defaults } = options;
    await expect(verifyBlob(conformanceBlob(), defaults)).rejects.toMatchObject({
      code: 'ERR_BLOB_CHAIN_UNTRUSTED',
    });
  });

  it('is refused with one byte changed, wherever it is', async () => {
    const jwt = conformanceBlob().trim();
    const [h, p] = jwt.split('.') as [string, string];
    const positions = [h.length + 1 + 10, h.length + 1 + Math.floor(p.length / 2), jwt.length - 5, 40];
    const codes = [];
    for (const at of positions) {
      const flipped = jwt[at] === 'A' ? 'B' : 'A';
      codes.push(
        await verifyBlob(jwt.slice(0, at) + flipped + jwt.slice(at + 1), options).then(
          () => 'accepted',
          (e: { code: string }) => e.code,
        ),
      );
    }
    expect(codes.slice(0, 3)).toEqual([
      'ERR_BLOB_SIGNATURE_INVALID',
      'ERR_BLOB_SIGNATURE_INVALID',
      'ERR_BLOB_SIGNATURE_INVALID',
    ]);
    // A changed byte in the header breaks its JSON or a certificate, or the signature over it.
    expect(codes[3]).toMatch(/^ERR_BLOB_(MALFORMED|CHAIN_UNTRUSTED|SIGNATURE_INVALID)$/);
  });

  it('finds every AAGUID entry (any case, with or without dashes) and every AAID entry', () => {
    const aaguids = raw.entries.flatMap((e) => (e.aaguid ? [e.aaguid] : []));
    const aaids = raw.entries.flatMap((e) => (e.aaid ? [e.aaid] : []));
    expect(aaguids).toHaveLength(100);
    expect(aaids).toHaveLength(100);
    for (const aaguid of aaguids) {
      expect(blob.lookupAaguid(aaguid)?.aaguid).toBe(aaguid);
      expect(blob.lookupAaguid(aaguid.toUpperCase())?.aaguid).toBe(aaguid);
      expect(blob.lookupAaguid(aaguid.replaceAll('-', ''))?.aaguid).toBe(aaguid);
    }
    for (const aaid of aaids) expect(blob.lookupAaid(aaid.toLowerCase())?.aaid).toBe(aaid);
    expect(blob.lookupAaguid('00000000-0000-0000-0000-000000000000')).toBeUndefined();
    expect(blob.lookupAaguid('not an aaguid')).toBeUndefined();
    expect(blob.lookupKeyId(createHash('sha1').update('x').digest('hex'))).toBeUndefined();
  });

  it('counts statuses and certification levels as the decoded payload says', () => {
    // Expected counts computed here from the raw payload: each entry's latest report by date.
    const byStatus: Record<string, number> = {};
    const byLevel: Record<string, number> = {};
    for (const e of raw.entries) {
      const latest = [...e.statusReports]
        .sort((a, b) => (a.effectiveDate ?? '').localeCompare(b.effectiveDate ?? ''))
        .at(-1)!;
      byStatus[latest.status] = (byStatus[latest.status] ?? 0) + 1;
      const level = /^(FIDO_CERTIFIED|NOT_FIDO_CERTIFIED|SELF_ASSERTION_SUBMITTED)/.test(latest.status)
        ? latest.status
        : 'NONE';
      byLevel[level] = (byLevel[level] ?? 0) + 1;
    }
    const summary = summarizeBlob(blob, { now: () => CONFORMANCE_NOW });
    expect(summary.byStatus).toEqual(byStatus);
    expect(summary.byCertificationLevel).toEqual(byLevel);
    expect(summary).toMatchObject({
      no: 42,
      entries: 200,
      aaguidEntries: 100,
      aaidEntries: 100,
      keyIdEntries: 0,
    });
    // The fixture's README promises every certification level and the four compromise statuses.
    for (const s of [
      'FIDO_CERTIFIED_L1',
      'FIDO_CERTIFIED_L1plus',
      'FIDO_CERTIFIED_L2',
      'FIDO_CERTIFIED_L2plus',
      'FIDO_CERTIFIED_L3',
      'FIDO_CERTIFIED_L3plus',
    ]) {
      expect(summary.byCertificationLevel[s]).toBeGreaterThan(0);
    }
    const compromises = [
      'USER_VERIFICATION_BYPASS',
      'ATTESTATION_KEY_COMPROMISE',
      'USER_KEY_REMOTE_COMPROMISE',
      'USER_KEY_PHYSICAL_COMPROMISE',
    ];
    for (const s of compromises) expect(summary.byStatus[s]).toBe(4);
    expect(summary.byCertificationLevel.NONE).toBe(16);
  });
});
