// Local metadata statements: trusted by the operator for authenticators the BLOB does not list, never
// over a BLOB entry; validated at construction with the BLOB entry schema, stricter where it matters.
import {
  classifyRegistration,
  createMetadataStore,
  type LocalStatementInput,
  reevaluate,
  type VerifiedBlob,
  verifyBlob,
} from '@stepup/mds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegistration } from './helpers/attestation.js';
import { type EntryInput, entry, payload, signBlob } from './helpers/blob.js';
import { type BlobPki, b64, CrlServer, clock, createBlobPki, type Issued, issue } from './helpers/pki.js';

const ENTERPRISE = 'e0e0e0e0-2222-4333-8444-555555555555';
const HIGH = [
  'device_bound',
  'user_verified',
  'attestation_verified',
  'certified',
  'hardware_key_protection',
];
let crls: CrlServer;
let pki: BlobPki;
let enterpriseRoot: Issued;

beforeAll(async () => {
  crls = await CrlServer.start();
  pki = await createBlobPki(crls, 'Local');
  enterpriseRoot = await issue({ subject: 'CN=Enterprise Attestation Root', ca: true });
});
afterAll(() => crls.close());

const local = (o: Partial<LocalStatementInput> = {}): LocalStatementInput => ({
  aaguid: ENTERPRISE.toUpperCase(),
  metadataStatement: {
    description: 'Enterprise key, issued by IT',
    attestationRootCertificates: [b64(enterpriseRoot.cert)],
    keyProtection: ['hardware', 'secure_element'],
    icon: 'data:image/png;base64,iVBORw0KGgo=',
  },
  statusReports: [{ status: 'FIDO_CERTIFIED_L2', effectiveDate: '2024-01-01' }],
  ...o,
});

async function blobWith(...entries: EntryInput[]): Promise<VerifiedBlob> {
  return verifyBlob(await signBlob(pki, payload(3, entries.map(entry))), {
    roots: [pki.rootPem],
    now: clock,
  });
}

async function enterpriseKey() {
  const leaf = await issue({ subject: 'CN=Enterprise Key 0042', issuer: enterpriseRoot });
  return (await buildRegistration({ aaguid: ENTERPRISE, x5c: [leaf] })).attestationObject;
}

describe('local metadata statements', () => {
  it('rate a key the BLOB does not list, and the evidence says so', async () => {
    const blob = await blobWith({ aaguid: '99999999-2222-4333-8444-555555555555' });
    const result = await classifyRegistration(
      { attestationObject: await enterpriseKey() },
      { store: blob, localStatements: [local()], now: clock },
    );
    expect([result.class, result.reasons]).toEqual(['high', HIGH]);
    expect(result.evidence.metadata).toMatchObject({
      source: 'local',
      found: true,
      blobNo: 3,
      description: 'Enterprise key, issued by IT',
      certificationLevel: 'FIDO_CERTIFIED_L2',
    });
    // Without the statement the same key is unrated.
    const without = await classifyRegistration(
      { attestationObject: await enterpriseKey() },
      { store: blob, now: clock },
    );
    expect(without.reasons).toEqual(['metadata_not_found']);
  });

  it('work given to the store, without any BLOB, and without status reports are not certified', async () => {
    const store = createMetadataStore({ source: false, localStatements: [local()], now: clock });
    expect(store.localStatements().map((s) => s.aaguid)).toEqual([ENTERPRISE]);
    const result = await classifyRegistration(
      { attestationObject: await enterpriseKey() },
      { store, now: clock },
    );
    expect([result.class, result.evidence.metadata.source]).toEqual(['high', 'local']);
    const uncertified = await classifyRegistration(
      { attestationObject: await enterpriseKey() },
      { localStatements: [local({ statusReports: [] })], now: clock },
    );
    expect([uncertified.class, uncertified.reasons]).toEqual(['medium', ['certification_insufficient']]);
  });

  it('never override a BLOB entry: its revocation wins, and otherwise the BLOB entry is used, with a reason', async () => {
    const input = { attestationObject: await enterpriseKey() };
    const revoked = await blobWith({
      aaguid: ENTERPRISE,
      roots: [b64(enterpriseRoot.cert)],
      statusReports: [{ status: 'REVOKED', effectiveDate: '2025-01-01' }],
    });
    const rejected = await classifyRegistration(input, {
      store: revoked,
      localStatements: [local()],
      now: clock,
    });
    expect([rejected.class, rejected.reasons, rejected.evidence.metadata.source]).toEqual([
      'rejected',
      ['status_revoked'],
      'blob',
    ]);
    const noRoots = await blobWith({ aaguid: ENTERPRISE });
    const ignored = await classifyRegistration(input, {
      store: noRoots,
      localStatements: [local()],
      now: clock,
    });
    expect([ignored.class, ignored.reasons]).toEqual([
      'medium',
      ['metadata_no_roots', 'local_statement_ignored'],
    ]);
    expect(ignored.evidence.metadata.source).toBe('blob');
  });

  it('do not stand in for a BLOB entry that failed validation', async () => {
    const broken = entry({ aaguid: ENTERPRISE, roots: [b64(enterpriseRoot.cert)] });
    (broken.metadataStatement as Record<string, unknown>).keyProtection = 42;
    const blob = await verifyBlob(await signBlob(pki, payload(4, [broken])), {
      roots: [pki.rootPem],
      now: clock,
    });
    const result = await classifyRegistration(
      { attestationObject: await enterpriseKey() },
      { store: blob, localStatements: [local()], now: clock },
    );
    expect([result.class, result.reasons]).toEqual([
      'medium',
      ['metadata_entry_invalid', 'local_statement_ignored'],
    ]);
  });

  it('let reevaluate upgrade a key registered before the statement was added', async () => {
    const before = await classifyRegistration({ attestationObject: await enterpriseKey() }, { now: clock });
    expect(before.reasons).toEqual(['metadata_unavailable']);
    const store = createMetadataStore({ source: false, localStatements: [local()], now: clock });
    const [result] = await reevaluate([{ id: 'k', evidence: before.evidence }], { store, now: clock });
    expect(
      result?.ok && [result.before, result.after, result.changed, result.evidence.metadata.source],
    ).toEqual(['medium', 'high', true, 'local']);
  });

  it('are refused at construction when invalid, naming every field', () => {
    const bad: Array<[unknown, string[]]> = [
      [
        {
          ...local(),
          metadataStatement: {
            ...local().metadataStatement,
            attestationRootCertificates: ['nope', b64(enterpriseRoot.cert)],
          },
        },
        ['localStatements.0.metadataStatement.attestationRootCertificates.0'],
      ],
      [
        { ...local(), metadataStatement: { description: 'x' } },
        [
          'localStatements.0.metadataStatement.attestationRootCertificates',
          'localStatements.0.metadataStatement.keyProtection',
        ],
      ],
      [{ ...local(), statusReport: [] }, ['localStatements.0.statusReport']],
      [{ ...local(), aaguid: 'not-an-aaguid' }, ['localStatements.0.aaguid']],
      [
        { ...local(), statusReports: [{ status: 'FIDO_CERTIFED_L2' }] },
        ['localStatements.0.statusReports.0.status'],
      ],
      [
        {
          ...local(),
          metadataStatement: { ...local().metadataStatement, aaguid: '99999999-2222-4333-8444-555555555555' },
        },
        ['localStatements.0.metadataStatement.aaguid'],
      ],
    ];
    for (const [statement, paths] of bad) {
      let caught: unknown;
      try {
        // @ts-expect-error invalid on purpose
        createMetadataStore({ source: false, localStatements: [statement] });
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ code: 'ERR_CONFIG_INVALID' });
      expect(
        (caught as { details: { issues: { path: string }[] } }).details.issues.map((i) => i.path),
      ).toEqual(paths);
    }
    expect(() =>
      createMetadataStore({ source: false, localStatements: [local(), local({ aaguid: ENTERPRISE })] }),
    ).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG_INVALID',
        message: expect.stringContaining('localStatements.1.aaguid: duplicate AAGUID'),
      }),
    );
  });

  it('the same AAGUID in the store and in the call is refused', async () => {
    const store = createMetadataStore({ source: false, localStatements: [local()], now: clock });
    await expect(
      classifyRegistration(
        { attestationObject: await enterpriseKey() },
        { store, localStatements: [local()], now: clock },
      ),
    ).rejects.toMatchObject({ code: 'ERR_CONFIG_INVALID', details: { path: 'localStatements' } });
  });
});
