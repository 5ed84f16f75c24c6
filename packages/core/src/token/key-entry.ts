import { createPublicKey, type KeyObject } from 'node:crypto';
import { importJWK, type JWK } from 'jose';

/** The key type and curve each allow-listed JWS algorithm needs (RFC 7518 §3, RFC 8037 §3.1). */
const KEY_TYPES: Readonly<Record<string, { readonly kty: string; readonly crv?: string }>> = {
  ES256: { kty: 'EC', crv: 'P-256' },
  ES384: { kty: 'EC', crv: 'P-384' },
  ES512: { kty: 'EC', crv: 'P-521' },
  RS256: { kty: 'RSA' },
  RS384: { kty: 'RSA' },
  RS512: { kty: 'RSA' },
  PS256: { kty: 'RSA' },
  PS384: { kty: 'RSA' },
  PS512: { kty: 'RSA' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  Ed25519: { kty: 'OKP', crv: 'Ed25519' },
};

/** JWK members that only a private or secret key has (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
export const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** Whether a JWK is a public key of a type some allow-listed algorithm can use. */
export function isPublicSignatureJwk(jwk: Readonly<Record<string, unknown>>): boolean {
  if (PRIVATE_MEMBERS.some((name) => jwk[name] !== undefined)) return false;
  return jwk.kty === 'EC' || jwk.kty === 'RSA' || jwk.kty === 'OKP';
}

/**
 * One public key of an issuer, imported at most once per algorithm. Its identity is the object: a reload
 * that brings the same JWK keeps the same entry (so tokens it verified stay trusted), one that drops it
 * marks it `retired` (so they are not).
 */
export class KeyEntry {
  readonly jwk: Readonly<JWK>;
  /** Canonical JSON of the JWK, to recognise the same key in a reloaded set. */
  readonly fingerprint: string;
  #retired = false;
  readonly #imported = new Map<string, Promise<CryptoKey>>();
  #keyObject: KeyObject | null | undefined;

  constructor(jwk: Readonly<JWK>) {
    this.jwk = jwk;
    this.fingerprint = JSON.stringify(Object.entries(jwk).sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  get retired(): boolean {
    return this.#retired;
  }

  retire(): void {
    this.#retired = true;
  }

  /**
   * Whether this key may verify `alg` for a token naming `kid` (RFC 7517 §4; the same rules as jose's
   * `createLocalJWKSet`): the right `kty` and `crv`, `use` absent or `sig`, `key_ops` absent or with
   * `verify`, `alg` absent or equal, and the same `kid` when the token names one.
   */
  matches(alg: string, kid: string | undefined): boolean {
    const type = KEY_TYPES[alg];
    const { kty, crv, use, alg: keyAlg, kid: keyKid } = this.jwk;
    const ops = this.jwk.key_ops;
    return (
      type !== undefined &&
      kty === type.kty &&
      (type.crv === undefined || crv === type.crv) &&
      (use === undefined || use === 'sig') &&
      (ops === undefined || (Array.isArray(ops) && ops.includes('verify'))) &&
      (keyAlg === undefined || keyAlg === alg) &&
      (kid === undefined || keyKid === kid)
    );
  }

  /** The key as node:crypto takes it, imported once; `undefined` when it is not an importable public key. */
  keyObject(): KeyObject | undefined {
    if (this.#keyObject === undefined) {
      try {
        const key = createPublicKey({ key: this.jwk as never, format: 'jwk' });
        this.#keyObject = key.type === 'public' ? key : null;
      } catch {
        this.#keyObject = null;
      }
    }
    return this.#keyObject ?? undefined;
  }

  /** The key as jose takes it, imported once for `alg`. A failed import is not cached. */
  import(alg: string): Promise<CryptoKey> {
    let pending = this.#imported.get(alg);
    if (pending === undefined) {
      pending = importJWK(this.jwk, alg).then((key) => {
        if (key instanceof Uint8Array || key.type !== 'public') throw new TypeError('not a public key');
        return key;
      });
      pending.catch(() => this.#imported.delete(alg));
      this.#imported.set(alg, pending);
    }
    return pending;
  }
}
