// BLOBs signed at test time with jose (x5c: standard base64 DER, leaf first).
import { CompactSign } from 'jose';
import { algorithmOf, type BlobPki, b64, type Issued } from './pki.js';

export interface StatusReportInput {
  status: string;
  effectiveDate?: string;
  authenticatorVersion?: number;
}

export interface EntryInput {
  aaguid?: string;
  aaid?: string;
  keyIds?: string[];
  description?: string;
  statusReports?: StatusReportInput[];
  keyProtection?: string[];
  roots?: string[];
  authenticatorVersion?: number;
}

export function entry(e: EntryInput): Record<string, unknown> {
  const statement: Record<string, unknown> = {
    description: e.description ?? `Test authenticator ${e.aaguid ?? e.aaid ?? 'u2f'}`,
    authenticatorVersion: e.authenticatorVersion ?? 2,
    protocolFamily: e.aaid ? 'uaf' : e.keyIds ? 'u2f' : 'fido2',
    schema: 3,
    attestationTypes: ['basic_full'],
    attestationRootCertificates: e.roots ?? [],
    keyProtection: e.keyProtection ?? ['hardware', 'secure_element'],
    matcherProtection: ['on_chip'],
    icon: 'data:image/png;base64,iVBORw0KGgo=',
    ...(e.aaguid ? { aaguid: e.aaguid } : {}),
    ...(e.aaid ? { aaid: e.aaid } : {}),
    ...(e.keyIds ? { attestationCertificateKeyIdentifiers: e.keyIds } : {}),
  };
  return {
    ...(e.aaguid ? { aaguid: e.aaguid } : {}),
    ...(e.aaid ? { aaid: e.aaid } : {}),
    ...(e.keyIds ? { attestationCertificateKeyIdentifiers: e.keyIds } : {}),
    metadataStatement: statement,
    statusReports: e.statusReports ?? [{ status: 'FIDO_CERTIFIED_L1', effectiveDate: '2024-01-01' }],
    timeOfLastStatusChange: '2024-01-01',
  };
}

export function payload(no: number, entries: unknown[], nextUpdate = '2025-07-01') {
  return { legalHeader: 'Test legal header: do no evil.', no, nextUpdate, entries };
}

export interface SignOptions {
  /** Certificates to put in x5c (default: signer, intermediate). */
  x5c?: Issued[];
  /** Key to sign with (default: the signer's). */
  key?: Issued;
  alg?: string;
}

/** Signs a payload (an object is JSON-encoded; a string is signed as is). */
export async function signBlob(pki: BlobPki, body: object | string, o: SignOptions = {}): Promise<string> {
  const key = o.key ?? pki.signer;
  const x5c = (o.x5c ?? [pki.signer, pki.intermediate]).map((i) => b64(i.cert));
  const bytes = new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body));
  return new CompactSign(bytes)
    .setProtectedHeader({ alg: o.alg ?? algorithmOf(key.kind).jws, typ: 'JWT', x5c })
    .sign(key.keys.privateKey);
}
