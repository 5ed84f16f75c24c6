// Real attestation objects from real authenticators (test/fixtures/real-registrations.json), classified
// against a BLOB signed at test time whose entries carry those vendors' real roots. Some
// certificate chains have expired since, so classification runs with a clock from when the
// registrations were made (mid-2018); the BLOB itself is verified at the test PKI's clock.
import { createHash, X509Certificate as NodeX509 } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { verifyRegistrationResponse } from '@simplewebauthn/server';
import { decodeAttestationObject } from '@simplewebauthn/server/helpers';
import { classifyRegistration, type VerifiedBlob, verifyBlob } from '@stepup/mds';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { entry, payload, signBlob } from './helpers/blob.js';
import { realRegistrations } from './helpers/fixtures.js';
import { CrlServer, clock, createBlobPki } from './helpers/pki.js';

const WHEN_MADE = new Date('2018-06-01T00:00:00Z');
const at = () => WHEN_MADE.getTime();
const pem = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const der64 = (p: string) => p.replace(/-----[A-Z ]+-----|\s/g, '');

const AAGUID = {
  feitian: '42383245-4437-3343-3846-423445354132',
  tpm: '08987058-cadc-4b81-b6e1-30de50dcbe96',
  helloSoftware: '6028b017-b1d4-4c02-b4b3-afcdafc96bb2',
};

const registrations = realRegistrations();
const attestationOf = (name: string) =>
  new Uint8Array(Buffer.from(registrations[name]!.response.attestationObject, 'base64url'));

/** x5c[i] of a real registration, via the package's own decoder dependency. */
function x5cOf(name: string): Uint8Array[] {
  const statement = decodeAttestationObject(attestationOf(name)).get('attStmt');
  return statement.get('x5c') ?? [];
}

/** U2F metadata key identifier, computed independently: SHA-1 over the EC point (0x04 ‖ x ‖ y). */
function u2fKeyId(der: Uint8Array): string {
  const jwk = new NodeX509(der).publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x!, 'base64url'),
    Buffer.from(jwk.y!, 'base64url'),
  ]);
  return createHash('sha1').update(point).digest('hex');
}

let crls: CrlServer;
let blob: VerifiedBlob;
const effective = '2018-01-01';

beforeAll(async () => {
  crls = await CrlServer.start();
  const pki = await createBlobPki(crls, 'Real');
  const feitianRoot = Buffer.from(x5cOf('packed-x5c').at(-1)!).toString('base64');
  const entries = [
    entry({
      aaguid: AAGUID.feitian,
      roots: [feitianRoot],
      statusReports: [{ status: 'FIDO_CERTIFIED_L1', effectiveDate: effective }],
    }),
    entry({
      aaguid: AAGUID.tpm,
      roots: [der64(pem('microsoft-tpm-root-2014.pem'))],
      keyProtection: ['hardware', 'tee'],
      statusReports: [{ status: 'FIDO_CERTIFIED_L1', effectiveDate: effective }],
    }),
    entry({
      aaguid: AAGUID.helloSoftware,
      keyProtection: ['software'],
      statusReports: [{ status: 'NOT_FIDO_CERTIFIED', effectiveDate: effective }],
    }),
    entry({
      keyIds: [u2fKeyId(x5cOf('fido-u2f-yubico')[0]!)],
      roots: [der64(pem('yubico-u2f-root.pem'))],
      statusReports: [{ status: 'FIDO_CERTIFIED', effectiveDate: effective }],
    }),
  ];
  blob = await verifyBlob(await signBlob(pki, payload(1, entries)), { roots: [pki.rootPem], now: clock });
});
afterAll(() => crls.close());
afterEach(() => vi.useRealTimers());

const expected = {
  none: { class: 'low', reasons: ['user_not_verified'], kind: 'none', chain: 'not_checked', found: false },
  'fido-u2f-yubico': {
    class: 'low',
    reasons: ['user_not_verified'],
    kind: 'x5c',
    chain: 'verified',
    found: true,
  },
  'fido-u2f-hypersecu': {
    class: 'low',
    reasons: ['user_not_verified'],
    kind: 'x5c',
    chain: 'not_checked',
    found: false,
  },
  'packed-x5c': { class: 'low', reasons: ['user_not_verified'], kind: 'x5c', chain: 'verified', found: true },
  'packed-windows-hello': {
    class: 'medium',
    reasons: ['attestation_self'],
    kind: 'self',
    chain: 'not_checked',
    found: true,
  },
  'tpm-windows-hello': {
    class: 'high',
    reasons: [
      'device_bound',
      'user_verified',
      'attestation_verified',
      'certified',
      'hardware_key_protection',
    ],
    kind: 'x5c',
    chain: 'verified',
    found: true,
  },
  'android-safetynet': {
    class: 'low',
    reasons: ['user_not_verified'],
    kind: 'unsupported',
    chain: 'not_checked',
    found: false,
  },
} as const;

describe('real attestation objects (raw attestationObject input)', () => {
  it('covers every fixture', () => {
    expect(Object.keys(registrations).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [name, want] of Object.entries(expected)) {
    it(`classifies ${name} as ${want.class}`, async () => {
      const result = await classifyRegistration(
        { attestationObject: attestationOf(name) },
        { store: blob, now: at },
      );
      expect(result.class).toBe(want.class);
      expect(result.reasons).toEqual(want.reasons);
      expect(result.evidence.attestation).toMatchObject({ kind: want.kind, chain: want.chain });
      expect(result.evidence.metadata).toMatchObject({ found: want.found, blobNo: 1 });
      expect(JSON.parse(JSON.stringify(result.evidence))).toEqual(result.evidence);
    });
  }

  it('looks U2F keys up by attestation key identifier, and records how', async () => {
    const result = await classifyRegistration(
      { attestationObject: attestationOf('fido-u2f-yubico') },
      { store: blob, now: at },
    );
    expect(result.evidence).toMatchObject({
      fmt: 'fido-u2f',
      aaguid: '00000000-0000-0000-0000-000000000000',
      attestationKeyId: u2fKeyId(x5cOf('fido-u2f-yubico')[0]!),
      attestation: { chain: 'verified', match: 'issued_by' },
      metadata: { lookup: 'key_id', certificationLevel: 'FIDO_CERTIFIED', status: 'FIDO_CERTIFIED' },
    });
  });

  it('checks the chain when the root is in the x5c (Feitian sends its root)', async () => {
    const result = await classifyRegistration(
      { attestationObject: attestationOf('packed-x5c') },
      { store: blob, now: at },
    );
    expect(result.evidence.attestation).toEqual({
      kind: 'x5c',
      chain: 'verified',
      match: 'issued_by',
      x5c: x5cOf('packed-x5c').map((der) => Buffer.from(der).toString('base64')),
    });
    expect(result.evidence.flags).toEqual({ up: true, uv: false, be: false, bs: false });
  });

  it('reports a chain that has expired since (the TPM AIK certificate ends in 2028)', async () => {
    const later = Date.parse('2025-01-01T00:00:00Z');
    const tpm = await classifyRegistration(
      { attestationObject: attestationOf('tpm-windows-hello') },
      { store: blob, now: () => Date.parse('2030-01-01T00:00:00Z') },
    );
    expect(tpm.evidence.attestation).toMatchObject({ chain: 'failed', detail: 'expired' });
    expect(tpm.class).toBe('medium');
    expect(tpm.reasons).toEqual(['attestation_chain_failed']);
    const feitian = await classifyRegistration(
      { attestationObject: attestationOf('packed-x5c') },
      { store: blob, now: () => later },
    );
    expect(feitian.evidence.attestation.chain).toBe('verified');
  });

  it('is unattested without metadata', async () => {
    const result = await classifyRegistration(
      { attestationObject: attestationOf('tpm-windows-hello') },
      { now: at },
    );
    expect(result.class).toBe('medium');
    expect(result.reasons).toEqual(['metadata_unavailable']);
    expect(result.evidence.metadata).toEqual({ found: false });
  });
});

describe('real registrations through @simplewebauthn/server (registrationInfo input)', () => {
  const rpIdOf = (name: string) => {
    const authData = decodeAttestationObject(attestationOf(name)).get('authData');
    const host = new URL(registrations[name]!.clientData.origin).hostname;
    expect(
      createHash('sha256')
        .update(host)
        .digest()
        .equals(Buffer.from(authData.slice(0, 32))),
    ).toBe(true);
    return host;
  };

  for (const name of [
    'none',
    'fido-u2f-yubico',
    'packed-x5c',
    'packed-windows-hello',
    'tpm-windows-hello',
  ] as const) {
    it(`classifies the verified ${name} as ${expected[name].class}`, async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(WHEN_MADE); // @simplewebauthn/server checks certificate validity with the system clock
      const r = registrations[name]!;
      const verified = await verifyRegistrationResponse({
        response: { ...r, type: 'public-key', clientExtensionResults: {} },
        expectedChallenge: r.clientData.challenge,
        expectedOrigin: r.clientData.origin,
        expectedRPID: rpIdOf(name),
        requireUserVerification: false,
      });
      vi.useRealTimers();
      expect(verified.verified).toBe(true);
      const result = await classifyRegistration(
        { registrationInfo: verified.registrationInfo! },
        { store: blob, now: at },
      );
      expect(result.class).toBe(expected[name].class);
      expect(result.reasons).toEqual(expected[name].reasons);
      expect(result.evidence.fmt).toBe(verified.registrationInfo!.fmt);
      expect(result.evidence.aaguid).toBe(verified.registrationInfo!.aaguid);
    });
  }
});
