import { constants, type KeyObject, type VerifyKeyObjectInput } from 'node:crypto';
import { type CompactJws, verifyCompact } from './compact.js';
import type { KeyEntry } from './key-entry.js';

/** How node:crypto verifies each allow-listed algorithm, as WebCrypto (and so jose) does. */
interface Scheme {
  /** The digest, or `null` for Ed25519 (which hashes internally). */
  readonly hash: string | null;
  /** PSS salt length in bytes (the digest's length, as jose sets it). */
  readonly saltLength?: number;
  /** `ieee-p1363` signature length for ECDSA (r ‖ s). */
  readonly ecdsaLength?: number;
  /** The ECDSA key's curve, as node:crypto names it. */
  readonly curve?: string;
  /** RSA keys must have at least 2048-bit moduli (jose's `minRsaBits`). */
  readonly rsa?: boolean;
}

const SCHEMES: Readonly<Record<string, Scheme>> = {
  ES256: { hash: 'sha256', ecdsaLength: 64, curve: 'prime256v1' },
  ES384: { hash: 'sha384', ecdsaLength: 96, curve: 'secp384r1' },
  ES512: { hash: 'sha512', ecdsaLength: 132, curve: 'secp521r1' },
  RS256: { hash: 'sha256', rsa: true },
  RS384: { hash: 'sha384', rsa: true },
  RS512: { hash: 'sha512', rsa: true },
  PS256: { hash: 'sha256', saltLength: 32, rsa: true },
  PS384: { hash: 'sha384', saltLength: 48, rsa: true },
  PS512: { hash: 'sha512', saltLength: 64, rsa: true },
  EdDSA: { hash: null },
  Ed25519: { hash: null },
};

/**
 * The `verify` input for one key and algorithm, built once per key entry: the `KeyObject` itself when the
 * algorithm needs no option (RSASSA-PKCS1-v1_5, node:crypto's default RSA padding; Ed25519; ECDSA, whose
 * signature `verifyCompact` turns into DER, node:crypto's default encoding), an options object for
 * RSASSA-PSS. On Node 24 `verify` with an options object costs up to twice as much as with the bare
 * `KeyObject` (RS256: ~65 vs ~33 µs measured): `isKeyObject` and `isCryptoKey` probe the object by
 * throwing a TypeError each, stack trace included. On Node 20 and 22 both forms cost the same.
 * The key's type, and an ECDSA key's curve, must be the algorithm's.
 */
function inputFor(key: KeyObject, scheme: Scheme): KeyObject | VerifyKeyObjectInput | undefined {
  if (scheme.rsa) {
    const bits = key.asymmetricKeyDetails?.modulusLength;
    if (key.asymmetricKeyType !== 'rsa' || bits === undefined || bits < 2048) return undefined;
    return scheme.saltLength === undefined
      ? key
      : { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength };
  }
  if (scheme.curve !== undefined)
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === scheme.curve
      ? key
      : undefined;
  return key.asymmetricKeyType === 'ed25519' ? key : undefined;
}

type Input = KeyObject | VerifyKeyObjectInput;
const inputs = new WeakMap<KeyObject, Map<string, Input | null>>();

/** `inputFor`, once per key and algorithm. */
function verifyInput(key: KeyObject, alg: string, scheme: Scheme): Input | undefined {
  let byAlg = inputs.get(key);
  if (byAlg === undefined) {
    byAlg = new Map();
    inputs.set(key, byAlg);
  }
  let input = byAlg.get(alg);
  if (input === undefined) {
    input = inputFor(key, scheme) ?? null;
    byAlg.set(alg, input);
  }
  return input ?? undefined;
}

/**
 * `verifySignatureNative` for a key already imported (a DPoP proof's `jwk`): the same schemes, the
 * same refusals.
 */
export function verifyWithKeyObject(jws: CompactJws, key: KeyObject, alg: string): boolean {
  const scheme = SCHEMES[alg];
  if (scheme === undefined) return false;
  const input = verifyInput(key, alg, scheme);
  return input !== undefined && verifyCompact(jws, scheme.hash, input, scheme.ecdsaLength);
}

/**
 * Verifies a JWS signature with node:crypto's one-shot `verify` (RFC 7518 §3): synchronous, no
 * WebCrypto key import per call, the key imported once per JWK (`KeyEntry.keyObject`). Decides as jose
 * does: `false` for a key that cannot be used with `alg` (wrong type, an RSA modulus under 2048 bits,
 * unimportable material), for an ECDSA signature of the wrong length, and for a signature that does not
 * verify. A differential test holds it to jose's decisions.
 */
export function verifySignatureNative(jws: CompactJws, key: KeyEntry, alg: string): boolean {
  const keyObject = key.keyObject();
  return keyObject !== undefined && verifyWithKeyObject(jws, keyObject, alg);
}
