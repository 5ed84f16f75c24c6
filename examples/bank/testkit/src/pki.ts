// Certificates made at test time with @peculiar/x509: an attestation root and leaf for software
// security keys, and a root + signer for test MDS BLOBs (signed with jose, x5c standard base64).
import 'reflect-metadata';
import { createPrivateKey } from 'node:crypto';
import {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  type X509Certificate,
  X509CertificateGenerator,
} from '@peculiar/x509';
import { CompactSign } from 'jose';

const GEN = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIG = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export interface Issued {
  cert: X509Certificate;
  keys: CryptoKeyPair;
}

let serial = 0x2000;

/**
 * Issues a certificate valid around real time (simplewebauthn checks validity against the system clock),
 * for a new key pair or for `keys`; self-signed without `issuer`.
 */
export async function issue(
  subject: string,
  options: { issuer?: Issued; ca: boolean; keys?: CryptoKeyPair },
): Promise<Issued> {
  const keys =
    options.keys ?? ((await crypto.subtle.generateKey(GEN, true, ['sign', 'verify'])) as CryptoKeyPair);
  const signer = options.issuer ?? { cert: undefined, keys };
  const cert = await X509CertificateGenerator.create({
    serialNumber: (serial++).toString(16).padStart(6, '0'),
    subject,
    issuer: signer.cert?.subject ?? subject,
    notBefore: new Date(Date.now() - 30 * DAY),
    notAfter: new Date(Date.now() + 365 * DAY),
    publicKey: keys.publicKey,
    signingKey: signer.keys.privateKey,
    signingAlgorithm: SIG,
    extensions: [
      new BasicConstraintsExtension(options.ca, undefined, true),
      new KeyUsagesExtension(
        options.ca ? KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign : KeyUsageFlags.digitalSignature,
        true,
      ),
    ],
  });
  return { cert, keys };
}

export const b64 = (cert: X509Certificate) => Buffer.from(cert.rawData).toString('base64');

/** A vendor's attestation root and one batch certificate, as a packed attestation needs them. */
export async function attestationVendor(name = 'Acme Keys') {
  const root = await issue(`CN=${name} Attestation Root, O=${name}, C=US`, { ca: true });
  const leaf = await issue(`CN=${name} Batch 1, OU=Authenticator Attestation, O=${name}, C=US`, {
    issuer: root,
    ca: false,
  });
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', leaf.keys.privateKey);
  return {
    root,
    rootB64: b64(root.cert),
    attestation: {
      chain: [new Uint8Array(leaf.cert.rawData)],
      key: createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }),
    },
  };
}

/** An MDS3 entry for a FIDO2 authenticator with its status reports. */
export function mdsEntry(input: {
  aaguid: string;
  roots: string[];
  description: string;
  statuses?: string[];
}) {
  return {
    aaguid: input.aaguid,
    metadataStatement: {
      aaguid: input.aaguid,
      description: input.description,
      authenticatorVersion: 5,
      protocolFamily: 'fido2',
      schema: 3,
      attestationTypes: ['basic_full'],
      attestationRootCertificates: input.roots,
      keyProtection: ['hardware', 'secure_element'],
      matcherProtection: ['on_chip'],
    },
    statusReports: (input.statuses ?? ['FIDO_CERTIFIED_L2']).map((status, i) => ({
      status,
      effectiveDate: `2024-0${i + 1}-01`,
    })),
    timeOfLastStatusChange: '2024-01-01',
  };
}

/** A BLOB signer chained to its own root (give the root to the metadata store). */
export async function blobSigner() {
  const root = await issue('CN=Test MDS Root, O=Stepup Tests, C=US', { ca: true });
  const signer = await issue('CN=Test MDS Signer, O=Stepup Tests, C=US', { issuer: root, ca: false });
  return {
    rootPem: root.cert.toString('pem'),
    async sign(no: number, entries: unknown[]): Promise<string> {
      const nextUpdate = new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10);
      const body = { legalHeader: 'Test metadata, not for production.', no, nextUpdate, entries };
      return new CompactSign(new TextEncoder().encode(JSON.stringify(body)))
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', x5c: [b64(signer.cert)] })
        .sign(signer.keys.privateKey);
    },
  };
}

/**
 * The attestation key of Chromium's virtual authenticator (`kAttestationKey` in Chromium's
 * `device/fido/virtual_fido_device.cc`: the example attestation key of the FIDO U2F specification, whose
 * private half is published), PKCS#8 DER in hex, as Chromium's source spells it.
 */
const CHROMIUM_ATTESTATION_KEY_PKCS8 =
  '308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b0201010420' +
  'f3fccc0d00d8031954f90864d43c247f4bf5f0665c6b50cc17749a27d1cf7664a144034200' +
  '048d617e65c9508e64bcc5673ac82a6799da3c1446682c258c463fffdf58dfd2fa3e6c378b' +
  '53d795c4a4dffb4199edd7862f23abaf0203b4b8911ba0569994e101';

/** The uncompressed public point (X9.62) of that key, from the same source: `04 ‖ x ‖ y`. */
export const CHROMIUM_ATTESTATION_PUBLIC_POINT =
  '048d617e65c9508e64bcc5673ac82a6799da3c1446682c258c463fffdf58dfd2fa3e6c378b' +
  '53d795c4a4dffb4199edd7862f23abaf0203b4b8911ba0569994e101';

/** The subject (and issuer) of the self-signed batch certificate Chromium makes at each registration. */
export const CHROMIUM_BATCH_SUBJECT = 'C=US, O=Chromium, OU=Authenticator Attestation, CN=Batch Certificate';

async function keyPairFromPkcs8(hex: string): Promise<CryptoKeyPair> {
  const der = Buffer.from(hex, 'hex');
  const privateKey = await crypto.subtle.importKey('pkcs8', der, GEN, true, ['sign']);
  const { d: _d, ...publicJwk } = await crypto.subtle.exportKey('jwk', privateKey);
  const publicKey = await crypto.subtle.importKey('jwk', { ...publicJwk, key_ops: ['verify'] }, GEN, true, [
    'verify',
  ]);
  return { privateKey, publicKey };
}

/**
 * A packed attestation as Chromium's virtual security key makes it, for tests without a browser: a new
 * self-signed batch certificate (same name, same published key, new bytes) each call. With `keys`, the
 * same name on another key: an impostor that must not pass for Chromium's.
 */
export async function chromiumLikeAttestation(keys?: CryptoKeyPair) {
  const pair = keys ?? (await keyPairFromPkcs8(CHROMIUM_ATTESTATION_KEY_PKCS8));
  const leaf = await issue(CHROMIUM_BATCH_SUBJECT, { ca: false, keys: pair });
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', pair.privateKey);
  return {
    chain: [new Uint8Array(leaf.cert.rawData)],
    key: createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }),
  };
}
