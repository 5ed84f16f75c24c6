// A test FIDO MDS BLOB for the authenticator Chromium emulates (REFERENCE §4, §8): a root and a
// signer made with @peculiar/x509 at test time, the BLOB signed with jose (x5c in standard base64).
import 'reflect-metadata';
import {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  type X509Certificate,
  X509CertificateGenerator,
} from '@peculiar/x509';
import { CompactSign } from 'jose';

const DAY = 86_400_000;
const b64 = (cert: X509Certificate) => Buffer.from(cert.rawData).toString('base64');

async function issue(subject: string, issuer?: { cert: X509Certificate; keys: CryptoKeyPair }) {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ca = issuer === undefined;
  const cert = await X509CertificateGenerator.create({
    serialNumber: ca ? '01' : '02',
    subject,
    issuer: issuer?.cert.subject ?? subject,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 30 * DAY),
    publicKey: keys.publicKey,
    signingKey: (issuer?.keys ?? keys).privateKey,
    signingAlgorithm: alg,
    extensions: [
      new BasicConstraintsExtension(ca, undefined, true),
      new KeyUsagesExtension(
        ca ? KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign : KeyUsageFlags.digitalSignature,
        true,
      ),
    ],
  });
  return { cert, keys };
}

/** An MDS3 entry for a certified (L2) FIDO2 security key with hardware key protection. */
export function certifiedKeyEntry(aaguid: string, attestationRoot: string, description: string) {
  return {
    aaguid,
    metadataStatement: {
      aaguid,
      description,
      authenticatorVersion: 1,
      protocolFamily: 'fido2',
      schema: 3,
      attestationTypes: ['basic_full'],
      attestationRootCertificates: [attestationRoot],
      keyProtection: ['hardware', 'secure_element'],
      matcherProtection: ['on_chip'],
    },
    statusReports: [{ status: 'FIDO_CERTIFIED_L2', effectiveDate: '2024-01-01' }],
    timeOfLastStatusChange: '2024-01-01',
  };
}

/** A BLOB signer chained to its own root; give `rootPem` to the metadata store. */
export async function blobSigner() {
  const root = await issue('CN=E2E MDS Root, O=Stepup Tests, C=US');
  const signer = await issue('CN=E2E MDS Signer, O=Stepup Tests, C=US', root);
  return {
    rootPem: root.cert.toString('pem'),
    sign(no: number, entries: unknown[]): Promise<string> {
      const nextUpdate = new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10);
      const payload = { legalHeader: 'Test metadata, not for production.', no, nextUpdate, entries };
      return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', x5c: [b64(signer.cert)] })
        .sign(signer.keys.privateKey);
    },
  };
}
