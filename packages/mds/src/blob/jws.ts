import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { MdsError } from '../errors.js';
import { parseCertificate, type X509Certificate } from '../pki/certificates.js';

/** JWS algorithms accepted for a BLOB (FIDO MDS3 §3.2 allows RS256 and ES256; others of the same
 * families are accepted, `none` and HMAC never). */
export const BLOB_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
];

const MAX_CHAIN = 8;

/** The parsed protected header: algorithm and `x5c` chain (leaf first). */
export interface BlobHeader {
  readonly alg: string;
  readonly x5c: readonly X509Certificate[];
  readonly leafDer: Uint8Array;
}

/** Decodes the protected header and its `x5c` (RFC 7515 §4.1.6: standard base64 DER, leaf first). */
export function decodeBlobHeader(token: string): BlobHeader {
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token);
  } catch (cause) {
    throw new MdsError('ERR_BLOB_MALFORMED', 'BLOB is not a compact JWS', {
      details: { reason: 'not_jws' },
      cause,
    });
  }
  const { alg, x5c } = header;
  if (typeof alg !== 'string' || !BLOB_ALGORITHMS.includes(alg)) {
    throw new MdsError('ERR_BLOB_MALFORMED', `BLOB algorithm ${String(alg)} is not allowed`, {
      details: { reason: 'alg_not_allowed' },
    });
  }
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.length > MAX_CHAIN) {
    throw new MdsError('ERR_BLOB_MALFORMED', 'BLOB header has no usable x5c chain', {
      details: { reason: 'x5c_missing' },
    });
  }
  const certs = x5c.map((value) => (typeof value === 'string' ? parseCertificate(value) : undefined));
  if (certs.some((c) => c === undefined)) {
    throw new MdsError('ERR_BLOB_MALFORMED', 'BLOB x5c holds a value that is not a certificate', {
      details: { reason: 'x5c_malformed' },
    });
  }
  const chain = certs as X509Certificate[];
  return { alg, x5c: chain, leafDer: new Uint8Array(chain[0]!.rawData) };
}

/** Verifies the JWS signature with the leaf certificate's key; returns the payload bytes. */
export async function verifyBlobSignature(token: string, header: BlobHeader): Promise<Uint8Array> {
  let key: ReturnType<typeof leafKey>;
  try {
    key = leafKey(header.leafDer);
  } catch (cause) {
    throw new MdsError('ERR_BLOB_MALFORMED', 'BLOB signing key is unusable', {
      details: { reason: 'leaf_key' },
      cause,
    });
  }
  try {
    const { payload } = await compactVerify(token, key, { algorithms: [header.alg] });
    return payload;
  } catch (cause) {
    throw new MdsError('ERR_BLOB_SIGNATURE_INVALID', 'BLOB signature does not verify', { cause });
  }
}

function leafKey(der: Uint8Array) {
  return new NodeX509Certificate(der).publicKey;
}
