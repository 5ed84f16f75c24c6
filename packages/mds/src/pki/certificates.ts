import 'reflect-metadata';
import { BasicConstraintsExtension, X509Certificate } from '@peculiar/x509';

export { X509Certificate };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Parses one certificate given as PEM, as standard base64 DER (the form of JWS `x5c` and of
 * `attestationRootCertificates`) or as DER bytes. Returns `undefined` when it is none of these.
 */
export function parseCertificate(input: string | Uint8Array): X509Certificate | undefined {
  try {
    if (typeof input !== 'string') return new X509Certificate(toArrayBuffer(input));
    const text = input.trim();
    if (text.startsWith('-----BEGIN CERTIFICATE-----')) return new X509Certificate(text);
    const compact = text.replace(/\s+/g, '');
    if (!BASE64.test(compact)) return undefined;
    return new X509Certificate(toArrayBuffer(Buffer.from(compact, 'base64')));
  } catch {
    return undefined;
  }
}

/** Splits a PEM bundle into its certificates' PEM blocks. */
export function splitPem(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** `true` when both certificates have the same DER bytes. */
export function sameCertificate(a: X509Certificate, b: X509Certificate): boolean {
  return Buffer.from(a.rawData).equals(Buffer.from(b.rawData));
}

/** `true` when the certificate asserts `cA` in its basic constraints (RFC 5280 §4.2.1.9). */
export function isCa(cert: X509Certificate): boolean {
  return cert.getExtension(BasicConstraintsExtension)?.ca === true;
}

/** `true` when `now` is within the certificate's validity period (RFC 5280 §4.1.2.5). */
export function validityAt(cert: X509Certificate, now: Date): 'valid' | 'expired' | 'not_yet_valid' {
  if (now.getTime() < cert.notBefore.getTime()) return 'not_yet_valid';
  if (now.getTime() > cert.notAfter.getTime()) return 'expired';
  return 'valid';
}

/**
 * `true` when `issuer` issued `cert`: the issuer name equals the issuer's subject name and the
 * certificate's signature verifies with the issuer's public key.
 */
export async function issuedBy(cert: X509Certificate, issuer: X509Certificate): Promise<boolean> {
  if (cert.issuer !== issuer.subject) return false;
  try {
    return await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

/**
 * The hex key identifier FIDO uses for `attestationCertificateKeyIdentifiers`: SHA-1 of the
 * certificate's subjectPublicKey bits (RFC 5280 §4.2.1.2, method 1).
 */
export async function keyIdentifier(cert: X509Certificate): Promise<string> {
  return Buffer.from(await cert.publicKey.getKeyIdentifier()).toString('hex');
}

/** DER bytes as standard base64. */
export function toBase64(cert: X509Certificate): string {
  return Buffer.from(cert.rawData).toString('base64');
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}
