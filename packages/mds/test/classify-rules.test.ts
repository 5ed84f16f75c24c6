// The classification rules (REFERENCE §5) on registrations built at test time, and the Chromium
// virtual authenticator's packed attestation (REFERENCE §8): a self-signed "Batch Certificate"
// whose bytes change on every registration while its key stays the same.
import { verifyRegistrationResponse } from '@simplewebauthn/server';
import {
  type Classification,
  type ClassifyOptions,
  classifyRegistration,
  createMetadataStore,
  type MdsErrorCode,
  type VerifiedBlob,
  verifyBlob,
} from '@stepup/mds';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  buildRegistration,
  CHROMIUM_AAGUID,
  ChromiumBatch,
  ORIGIN,
  type RegistrationOptions,
  RP_ID,
} from './helpers/attestation.js';
import { type EntryInput, entry, payload, signBlob } from './helpers/blob.js';
import { type BlobPki, b64, CrlServer, clock, createBlobPki, type Issued, issue } from './helpers/pki.js';

let crls: CrlServer;
let pki: BlobPki;
let vendorRoot: Issued;
let vendorCa: Issued;
const KEY = '11111111-2222-4333-8444-555555555555';

beforeAll(async () => {
  crls = await CrlServer.start();
  pki = await createBlobPki(crls, 'Rules');
  vendorRoot = await issue({ subject: 'CN=Vendor Attestation Root', ca: true });
  vendorCa = await issue({ subject: 'CN=Vendor Attestation CA', issuer: vendorRoot, ca: true });
});
afterAll(() => crls.close());
afterEach(() => vi.useRealTimers());

async function blobWith(...entries: EntryInput[]): Promise<VerifiedBlob> {
  const jwt = await signBlob(pki, payload(5, entries.map(entry)));
  return verifyBlob(jwt, { roots: [pki.rootPem], now: clock });
}

async function vendorLeaf(): Promise<Issued> {
  return issue({ subject: 'C=US, O=Vendor, OU=Authenticator Attestation, CN=Vendor Key', issuer: vendorCa });
}

const keyEntry = (o: Partial<EntryInput> = {}): EntryInput => ({
  aaguid: KEY,
  roots: [b64(vendorRoot.cert)],
  ...o,
});

async function classify(
  reg: RegistrationOptions,
  store: ClassifyOptions['store'],
  policy?: ClassifyOptions['policy'],
  authenticatorVersion?: number,
) {
  const built = await buildRegistration({ aaguid: KEY, x5c: [await vendorLeaf(), vendorCa], ...reg });
  return classifyRegistration(
    { attestationObject: built.attestationObject, authenticatorVersion },
    { store, now: clock, ...(policy ? { policy } : {}) },
  );
}

const summary = (c: Classification) => [c.class, c.reasons];

describe('the Chromium virtual authenticator (packed, self-signed Batch Certificate)', () => {
  it('verifies a later registration against a Batch Certificate captured earlier (issued by, not identical)', async () => {
    const chromium = await ChromiumBatch.create();
    const captured = await chromium.certificate();
    const store = await blobWith({ aaguid: CHROMIUM_AAGUID, roots: [b64(captured.cert)] });
    const later = await chromium.certificate();
    expect(Buffer.from(later.cert.rawData).equals(Buffer.from(captured.cert.rawData))).toBe(false);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(clock());
    const security = await buildRegistration({ x5c: [later], flags: { uv: true } });
    const verified = await verifyRegistrationResponse({
      response: security.response,
      expectedChallenge: security.challenge,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
    });
    vi.useRealTimers();
    expect(verified.registrationInfo?.credentialDeviceType).toBe('singleDevice');
    const result = await classifyRegistration(
      { registrationInfo: verified.registrationInfo! },
      { store, now: clock },
    );
    expect(result.evidence.attestation).toEqual({
      kind: 'x5c',
      chain: 'verified',
      match: 'issued_by',
      x5c: [b64(later.cert)],
    });
    expect(summary(result)).toEqual([
      'high',
      ['device_bound', 'user_verified', 'attestation_verified', 'certified', 'hardware_key_protection'],
    ]);
  });

  it('accepts the captured certificate itself (identical)', async () => {
    const chromium = await ChromiumBatch.create();
    const captured = await chromium.certificate();
    const store = await blobWith({ aaguid: CHROMIUM_AAGUID, roots: [b64(captured.cert)] });
    const built = await buildRegistration({ x5c: [captured] });
    const result = await classifyRegistration(
      { attestationObject: built.attestationObject },
      { store, now: clock },
    );
    expect(result.evidence.attestation).toEqual({
      kind: 'x5c',
      chain: 'verified',
      match: 'identical',
      x5c: [b64(captured.cert)],
    });
  });

  it('does not trust another Chromium instance (same name, another key)', async () => {
    const captured = await (await ChromiumBatch.create()).certificate();
    const store = await blobWith({ aaguid: CHROMIUM_AAGUID, roots: [b64(captured.cert)] });
    const stranger = await (await ChromiumBatch.create()).certificate();
    const built = await buildRegistration({ x5c: [stranger] });
    const result = await classifyRegistration(
      { attestationObject: built.attestationObject },
      { store, now: clock },
    );
    expect(result.evidence.attestation).toEqual({
      kind: 'x5c',
      chain: 'failed',
      detail: 'untrusted_root',
      x5c: [b64(stranger.cert)],
    });
    expect(summary(result)).toEqual(['medium', ['attestation_chain_failed']]);
  });

  it('classifies a synced passkey (BE=1, BS=1) as medium', async () => {
    const built = await buildRegistration({ fmt: 'none', flags: { uv: true, be: true, bs: true } });
    const result = await classifyRegistration({ attestationObject: built.attestationObject }, { now: clock });
    expect(summary(result)).toEqual(['medium', ['backup_eligible']]);
    expect(result.evidence.flags).toEqual({ up: true, uv: true, be: true, bs: true });
  });
});

describe('classification rules', () => {
  it('high needs everything: BE=0, UV, verified chain, certification, hardware protection', async () => {
    const store = await blobWith(keyEntry());
    expect(summary(await classify({}, store))).toEqual([
      'high',
      ['device_bound', 'user_verified', 'attestation_verified', 'certified', 'hardware_key_protection'],
    ]);
  });

  it('medium when certification is below the policy minimum', async () => {
    const store = await blobWith(
      keyEntry({ statusReports: [{ status: 'FIDO_CERTIFIED_L1', effectiveDate: '2024-01-01' }] }),
    );
    expect(summary(await classify({}, store, { minCertificationLevel: 'FIDO_CERTIFIED_L2' }))).toEqual([
      'medium',
      ['certification_insufficient'],
    ]);
    expect((await classify({}, store, { minCertificationLevel: 'FIDO_CERTIFIED' })).class).toBe('high');
    const notCertified = await blobWith(
      keyEntry({ statusReports: [{ status: 'NOT_FIDO_CERTIFIED', effectiveDate: '2024-01-01' }] }),
    );
    expect(summary(await classify({}, notCertified))).toEqual(['medium', ['certification_insufficient']]);
  });

  it('medium without hardware secure_element/tee key protection', async () => {
    for (const keyProtection of [['software'], ['hardware'], ['secure_element'], ['software', 'tee']]) {
      const store = await blobWith(keyEntry({ keyProtection }));
      expect(summary(await classify({}, store))).toEqual(['medium', ['key_protection_insufficient']]);
    }
    const tee = await blobWith(keyEntry({ keyProtection: ['hardware', 'tee'] }));
    expect((await classify({}, tee)).class).toBe('high');
  });

  it('low without user verification, whatever the attestation', async () => {
    const store = await blobWith(keyEntry());
    expect(summary(await classify({ flags: { uv: false } }, store))).toEqual(['low', ['user_not_verified']]);
  });

  it('rejected for BE=0 with BS=1 (invalid flags)', async () => {
    const store = await blobWith(keyEntry());
    const result = await classify({ flags: { uv: true, be: false, bs: true } }, store);
    expect(summary(result)).toEqual(['rejected', ['flags_invalid']]);
  });

  it('unattested device-bound keys: medium by default, low when the policy says so', async () => {
    const built = await buildRegistration({ fmt: 'none' });
    const input = { attestationObject: built.attestationObject };
    expect(summary(await classifyRegistration(input, { now: clock }))).toEqual([
      'medium',
      ['attestation_none'],
    ]);
    const strict = await classifyRegistration(input, {
      now: clock,
      policy: { unattestedDeviceBoundIsMedium: false },
    });
    expect(summary(strict)).toEqual(['low', ['attestation_none', 'unattested_not_accepted']]);
    const self = await buildRegistration({});
    expect(
      summary(await classifyRegistration({ attestationObject: self.attestationObject }, { now: clock })),
    ).toEqual(['medium', ['attestation_self']]);
  });

  it('names why an x5c attestation was not checked', async () => {
    expect(summary(await classify({}, undefined))).toEqual(['medium', ['metadata_unavailable']]);
    const emptyStore = createMetadataStore({ source: false });
    expect(summary(await classify({}, emptyStore))).toEqual(['medium', ['metadata_unavailable']]);
    const other = await blobWith({ aaguid: '99999999-2222-4333-8444-555555555555' });
    expect(summary(await classify({}, other))).toEqual(['medium', ['metadata_not_found']]);
    const noRoots = await blobWith(keyEntry({ roots: [] }));
    expect(summary(await classify({}, noRoots))).toEqual(['medium', ['metadata_no_roots']]);
    const foreign = await blobWith(keyEntry({ roots: [b64(pki.root.cert)] }));
    const result = await classify({}, foreign);
    expect(summary(result)).toEqual(['medium', ['attestation_chain_failed']]);
    expect(result.evidence.attestation).toMatchObject({
      kind: 'x5c',
      chain: 'failed',
      detail: 'untrusted_root',
    });
  });

  it('deny and allow lists (AAGUIDs in any case)', async () => {
    const store = await blobWith(keyEntry());
    expect(summary(await classify({}, store, { denyAaguids: [KEY.toUpperCase()] }))).toEqual([
      'rejected',
      ['aaguid_denied'],
    ]);
    expect(
      summary(await classify({}, store, { allowAaguids: ['99999999-2222-4333-8444-555555555555'] })),
    ).toEqual(['rejected', ['aaguid_not_allowed']]);
    expect((await classify({}, store, { allowAaguids: [KEY.replaceAll('-', '')] })).class).toBe('high');
  });

  const rejecting: Array<[string, string]> = [
    ['REVOKED', 'status_revoked'],
    ['USER_VERIFICATION_BYPASS', 'status_user_verification_bypass'],
    ['ATTESTATION_KEY_COMPROMISE', 'status_attestation_key_compromise'],
    ['USER_KEY_REMOTE_COMPROMISE', 'status_user_key_remote_compromise'],
    ['USER_KEY_PHYSICAL_COMPROMISE', 'status_user_key_physical_compromise'],
  ];
  for (const [status, reason] of rejecting) {
    it(`rejected when the effective status is ${status}, even for a synced or unattested key`, async () => {
      const store = await blobWith(
        keyEntry({
          statusReports: [
            { status: 'FIDO_CERTIFIED_L2', effectiveDate: '2024-01-01' },
            { status, effectiveDate: '2025-01-01' },
          ],
        }),
      );
      const result = await classify({}, store);
      expect(summary(result)).toEqual(['rejected', [reason]]);
      expect(result.evidence.metadata).toMatchObject({ status, effectiveDate: '2025-01-01', blobNo: 5 });
      expect((await classify({ fmt: 'none', flags: { uv: true, be: true, bs: true } }, store)).class).toBe(
        'rejected',
      );
    });
  }

  it('a status that becomes effective later does not count yet', async () => {
    const store = await blobWith(
      keyEntry({
        statusReports: [
          { status: 'FIDO_CERTIFIED_L1', effectiveDate: '2024-01-01' },
          { status: 'REVOKED', effectiveDate: '2025-06-02' },
        ],
      }),
    );
    expect((await classify({}, store)).class).toBe('high');
  });

  it('UPDATE_AVAILABLE clears a compromise only for a device version known to meet it', async () => {
    const reports = [
      { status: 'FIDO_CERTIFIED_L1', effectiveDate: '2023-01-01' },
      { status: 'USER_VERIFICATION_BYPASS', effectiveDate: '2024-01-01' },
      { status: 'UPDATE_AVAILABLE', effectiveDate: '2024-06-01', authenticatorVersion: 3 },
    ];
    // The statement vouches for version 3, but the registering device's version is unknown.
    const store = await blobWith(keyEntry({ authenticatorVersion: 3, statusReports: reports }));
    const unknown = await classify({}, store);
    expect(summary(unknown)).toEqual(['rejected', ['status_user_verification_bypass']]);
    expect(unknown.evidence.metadata).toMatchObject({
      status: 'USER_VERIFICATION_BYPASS',
      updateAvailable: true,
    });
    const high = [
      'device_bound',
      'user_verified',
      'attestation_verified',
      'certified',
      'hardware_key_protection',
    ];
    const old = await classify({}, store, undefined, 2);
    expect(summary(old)).toEqual(['rejected', ['status_user_verification_bypass']]);
    const fixed = await classify({}, store, undefined, 3);
    expect(summary(fixed)).toEqual(['high', high]);
    expect(fixed.evidence).toMatchObject({
      authenticatorVersion: 3,
      metadata: { status: 'UPDATE_AVAILABLE', certificationLevel: 'FIDO_CERTIFIED_L1' },
    });
    // Explicitly relaxed: the statement's version stands in for the device's.
    const relaxed = await classify({}, store, { assumeStatementAuthenticatorVersion: true });
    expect(summary(relaxed)).toEqual(['high', high]);
  });

  it('a later certification report does not clear a compromise, unless the policy relaxes it', async () => {
    const store = await blobWith(
      keyEntry({
        statusReports: [
          { status: 'FIDO_CERTIFIED_L1', effectiveDate: '2023-01-01' },
          { status: 'ATTESTATION_KEY_COMPROMISE', effectiveDate: '2024-01-01' },
          { status: 'FIDO_CERTIFIED_L2', effectiveDate: '2025-01-01' },
        ],
      }),
    );
    expect(summary(await classify({}, store))).toEqual(['rejected', ['status_attestation_key_compromise']]);
    expect((await classify({}, store, { laterCertificationClearsCompromise: true })).class).toBe('high');
  });

  it('an UPDATE_AVAILABLE for a newer version than the statement is reported but changes nothing else', async () => {
    const store = await blobWith(
      keyEntry({
        authenticatorVersion: 2,
        statusReports: [
          { status: 'FIDO_CERTIFIED_L1', effectiveDate: '2023-01-01' },
          { status: 'UPDATE_AVAILABLE', effectiveDate: '2024-06-01', authenticatorVersion: 5 },
        ],
      }),
    );
    expect(summary(await classify({}, store))).toEqual([
      'high',
      [
        'device_bound',
        'user_verified',
        'attestation_verified',
        'certified',
        'hardware_key_protection',
        'update_available',
      ],
    ]);
  });

  it('uses the store current BLOB', async () => {
    const store = createMetadataStore({ source: false, roots: [pki.rootPem], now: clock });
    await store.load(await signBlob(pki, payload(6, [entry(keyEntry())])));
    const result = await classify({}, store);
    expect(result.class).toBe('high');
    expect(result.evidence.metadata.blobNo).toBe(6);
  });

  it('throws ERR_ATTESTATION_MALFORMED for input that is not an attestation', async () => {
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: { code: MdsErrorCode }) => e.code,
      );
    expect(await codeOf(classifyRegistration({ attestationObject: new Uint8Array([1, 2, 3]) }))).toBe(
      'ERR_ATTESTATION_MALFORMED',
    );
    // @ts-expect-error neither shape
    expect(await codeOf(classifyRegistration({ something: 1 }))).toBe('ERR_ATTESTATION_MALFORMED');
    const built = await buildRegistration({ fmt: 'none' });
    const info = { attestationObject: built.attestationObject, fmt: 'packed', aaguid: CHROMIUM_AAGUID };
    // @ts-expect-error a partial registrationInfo whose fmt contradicts the attestation object
    expect(await codeOf(classifyRegistration({ registrationInfo: info }))).toBe('ERR_ATTESTATION_MALFORMED');
    expect(
      await codeOf(
        classifyRegistration(
          { attestationObject: built.attestationObject },
          { policy: { denyAaguids: ['x'] } },
        ),
      ),
    ).toBe('ERR_CONFIG_INVALID');
  });
});
