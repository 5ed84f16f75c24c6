import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { CompactJws } from '../token/compact.js';
import { verifyWithKeyObject } from '../token/native-backend.js';

/** A proof's public key, imported, with its RFC 7638 thumbprint (what `cnf.jkt` holds). */
export interface ProofKey {
  readonly key: KeyObject;
  readonly jkt: string;
}

const MIN_RSA_BITS = 2048;

/**
 * The RFC 7638 §3.2 input of a public JWK: its required members only, in lexicographic order, no
 * whitespace. `undefined` when a required member is missing or not a string.
 */
function canonical(jwk: Readonly<Record<string, unknown>>): string | undefined {
  const { kty, crv, x, y, e, n } = jwk;
  const strings = (...values: unknown[]) => values.every((v) => typeof v === 'string' && v !== '');
  if (kty === 'EC' && strings(crv, x, y)) return JSON.stringify({ crv, kty, x, y });
  if (kty === 'RSA' && strings(e, n)) return JSON.stringify({ e, kty, n });
  if (kty === 'OKP' && strings(crv, x)) return JSON.stringify({ crv, kty, x });
  return undefined;
}

/**
 * Imports proof keys once per key: a client signs every proof with the same key, and importing a JWK
 * costs more than verifying a signature. Only the import is remembered (a pure function of the key's
 * members); every proof's signature and claims are verified anew. Bounded: emptied when full.
 */
export function createProofKeys(max = 1000) {
  const keys = new Map<string, ProofKey>();
  /**
   * The imported key and thumbprint of a public JWK whose type already fits the algorithm; `undefined`
   * when node:crypto cannot import it or an RSA key is under 2048 bits (RFC 8725 §3.5, FAPI 2.0).
   */
  return function importProofKey(jwk: Readonly<Record<string, unknown>>): ProofKey | undefined {
    const input = canonical(jwk);
    if (input === undefined) return undefined;
    let entry = keys.get(input);
    if (entry !== undefined) return entry;
    let key: KeyObject;
    try {
      key = createPublicKey({ key: JSON.parse(input), format: 'jwk' });
    } catch {
      return undefined;
    }
    const bits = key.asymmetricKeyDetails?.modulusLength;
    if (key.asymmetricKeyType === 'rsa' && (bits === undefined || bits < MIN_RSA_BITS)) return undefined;
    entry = { key, jkt: createHash('sha256').update(input).digest('base64url') };
    if (keys.size >= max) keys.clear();
    keys.set(input, entry);
    return entry;
  };
}

/**
 * Verifies a JWS signature (RFC 7515 §5.2) with node:crypto, as access tokens are verified
 * (`verifyWithKeyObject`); `false` for any mismatch or misuse.
 */
export function verifySignature(alg: string, key: KeyObject, jws: CompactJws): boolean {
  return verifyWithKeyObject(jws, key, alg);
}
