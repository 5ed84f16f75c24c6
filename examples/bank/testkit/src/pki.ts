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

/** Issues a certificate valid around real time (simplewebauthn checks validity against the system clock). */
export async function issue(subject: string, options: { issuer?: Issued; ca: boolean }): Promise<Issued> {
  const keys = (await crypto.subtle.generateKey(GEN, true, ['sign', 'verify'])) as CryptoKeyPair;
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
