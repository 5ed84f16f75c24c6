import { createHash, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** A DPoP client key pair: the private key, its public JWK and thumbprint (what `cnf.jkt` holds). */
export interface ProofKey {
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  readonly privateJwk: JWK;
  readonly jkt: string;
}

export async function createProofKey(alg: 'ES256' | 'PS256' | 'RS256' | 'EdDSA'): Promise<ProofKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return {
    alg,
    privateKey,
    publicJwk,
    privateJwk: await exportJWK(privateKey),
    jkt: await calculateJwkThumbprint(publicJwk, 'sha256'),
  };
}

/** Written out here, independently of the code under test: base64url(SHA-256(token)). */
export const ath = (token: string) => createHash('sha256').update(token).digest('base64url');

/** What a proof says; every member can be overridden, and `null` leaves a member out. */
export interface ProofSpec {
  readonly key: ProofKey;
  /** The access token (for `ath`). */
  readonly token: string;
  readonly htm: string;
  readonly htu: string;
  /** Seconds since the epoch. */
  readonly iat: number;
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly header?: Readonly<Record<string, unknown>>;
  /** Sign with this key instead of `key` (the header still embeds `key`'s public JWK). */
  readonly signer?: ProofKey;
}

/** Signs a DPoP proof (RFC 9449 §4.2) with jose: `typ`, `alg`, `jwk`; `jti`, `htm`, `htu`, `iat`, `ath`. */
export async function signProof(spec: ProofSpec): Promise<string> {
  const signer = spec.signer ?? spec.key;
  const header: Record<string, unknown> = {
    typ: 'dpop+jwt',
    alg: signer.alg,
    jwk: spec.key.publicJwk,
    ...spec.header,
  };
  const claims: Record<string, unknown> = {
    jti: randomUUID(),
    htm: spec.htm,
    htu: spec.htu,
    iat: spec.iat,
    ath: ath(spec.token),
    ...spec.claims,
  };
  for (const [name, value] of Object.entries(header)) if (value === null) delete header[name];
  for (const [name, value] of Object.entries(claims)) if (value === null) delete claims[name];
  // Let jose sign extension headers listed in `crit`, so that verifiers can be shown to refuse them.
  const crit = Array.isArray(header.crit)
    ? Object.fromEntries(header.crit.map((n: unknown) => [String(n), true]))
    : undefined;
  return new SignJWT(claims)
    .setProtectedHeader(header as { alg: string })
    .sign(signer.privateKey, crit === undefined ? undefined : { crit });
}
