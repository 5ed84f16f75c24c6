import { createHash } from 'node:crypto';
import type { JWK } from 'jose';
import { isStepUpError, StepUpError } from '../errors.js';
import type { StepUpRequest } from '../request.js';
import type { ReplayStore } from '../stores/replay-store.js';
import { parseCompact } from '../token/compact.js';
import { KeyEntry, PRIVATE_MEMBERS } from '../token/key-entry.js';
import type { VerifiedToken } from '../token/types.js';
import { expectedHtu, normalizeHtu } from './htu.js';
import type { NonceSource } from './nonce.js';
import { createProofKeys, verifySignature } from './proof-key.js';

/** What `createProofVerifier` needs: the resolved `dpop` options and the engine's world. */
export interface ProofVerifierOptions {
  readonly origin: string;
  readonly algorithms: readonly string[];
  /** Seconds. */
  readonly proofMaxAge: number;
  /** Seconds, for `iat` in the future. */
  readonly clockTolerance: number;
  readonly maxLength: number;
  readonly replayStore: ReplayStore;
  readonly nonces: NonceSource | undefined;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
}

const TYP = /^(?:application\/)?dpop\+jwt$/i;
const invalid = (message: string, cause?: unknown) =>
  new StepUpError('ERR_DPOP_PROOF_INVALID', message, cause === undefined ? {} : { cause });

/** The proof's header checks (RFC 9449 §4.3 steps 4, 5, 7): typ, alg allow-list, no crit, public jwk. */
function checkProofHeader(header: Readonly<Record<string, unknown>>, algorithms: ReadonlySet<string>) {
  const { typ, alg, jwk } = header;
  if (typeof typ !== 'string' || !TYP.test(typ)) throw invalid('The DPoP proof typ must be dpop+jwt');
  if (typeof alg !== 'string' || !algorithms.has(alg))
    throw invalid('The DPoP proof algorithm is not accepted');
  if (header.crit !== undefined || header.b64 !== undefined)
    throw invalid('The DPoP proof has unsupported critical headers');
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk))
    throw invalid('The DPoP proof has no jwk');
  const key = jwk as Record<string, unknown>;
  if (PRIVATE_MEMBERS.some((name) => key[name] !== undefined))
    throw invalid('The DPoP proof jwk must be a public key');
  if (!new KeyEntry(key as JWK).matches(alg, undefined))
    throw invalid('The DPoP proof jwk does not fit its algorithm');
  return { alg, jwk: key };
}

/** The claims of §4.2 with their types; extra claims are ignored (§4.2: "MAY contain other claims"). */
function readProofClaims(payload: Readonly<Record<string, unknown>>) {
  const { jti, htm, htu, iat, ath } = payload;
  if (typeof jti !== 'string' || jti === '' || jti.length > 512)
    throw invalid('The DPoP proof has no valid jti');
  if (typeof htm !== 'string') throw invalid('The DPoP proof has no valid htm');
  if (typeof htu !== 'string') throw invalid('The DPoP proof has no valid htu');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw invalid('The DPoP proof has no valid iat');
  if (typeof ath !== 'string') throw invalid('The DPoP proof has no valid ath');
  return { jti, htm, htu, iat, ath, nonce: payload.nonce };
}

/** base64url(SHA-256(ASCII(token))), the `ath` of a proof sent with `token` (RFC 9449 §4.2). */
export function accessTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** A proof that passed every check but the first use of its `jti`, which `consume` records. */
export interface CheckedProof {
  /** The replay-store key: base64url SHA-256 of the key's thumbprint and the `jti`. */
  readonly key: string;
  /** Until when the `jti` is remembered (milliseconds): its `iat` plus `proofMaxAge`, plus a second. */
  readonly expiresAt: number;
  /** The nonce to send back in `DPoP-Nonce` when the client's is about to expire, else `undefined`. */
  readonly nonce: string | undefined;
}

/**
 * Verifies the DPoP proof sent with a DPoP-bound access token (RFC 9449 §4.3 and §7.1), after the
 * token itself was verified, in two steps. `check`, synchronous, cheapest first: size; a strict compact
 * JWS; `typ` `dpop+jwt`; `alg` on the allow-list; no `crit`; an embedded public `jwk` (no private
 * members) of the algorithm's key type; the claims `jti`, `htm`, `htu`, `iat`, `ath` and their types;
 * the signature with that `jwk` (node:crypto; RSA keys under 2048 bits refused; the key's import, never
 * a verification, is remembered per key); `htm` equal to the method; `htu` equal to the configured
 * origin and the request path (RFC 3986 normalization, query and fragment ignored); `iat` no older than
 * `proofMaxAge` and no further in the future than the clock tolerance; `ath` equal to the token's hash;
 * the server nonce when nonces are configured; the `jwk` thumbprint (RFC 7638) equal to the token's
 * `cnf.jkt`. Then `consume`: the `jti` not seen before (the replay store, keyed by thumbprint and
 * `jti`). The engine calls `consume` last, once the policy passed too, so that a request refused for
 * another reason uses no store entry. Nothing here is cached: each proof is verified.
 *
 * @throws StepUpError from `check`: `ERR_DPOP_PROOF_INVALID`, `ERR_DPOP_NONCE_REQUIRED` (with
 * `details.dpopNonce`), `ERR_DPOP_BINDING_MISMATCH`; `consume` resolves its failure instead:
 * `ERR_DPOP_PROOF_REPLAYED`, `ERR_REPLAY_STORE_UNAVAILABLE`
 */
export function createProofVerifier(options: ProofVerifierOptions) {
  const { origin, proofMaxAge, clockTolerance, maxLength, replayStore, nonces, now } = options;
  const algorithms = new Set(options.algorithms);
  const importProofKey = createProofKeys();

  /**
   * Records the proof's `jti`: `undefined` for its first use, else the failure. Fails closed: a store
   * that throws, or answers anything but a boolean, is `ERR_REPLAY_STORE_UNAVAILABLE`.
   */
  async function consume(proof: CheckedProof): Promise<StepUpError | undefined> {
    let first: unknown;
    try {
      first = await replayStore.consume(proof.key, proof.expiresAt);
      if (typeof first !== 'boolean') throw new TypeError('the replay store did not answer a boolean');
    } catch (error) {
      if (isStepUpError(error) && error.code === 'ERR_REPLAY_STORE_UNAVAILABLE') return error;
      return new StepUpError(
        'ERR_REPLAY_STORE_UNAVAILABLE',
        'The replay store is unavailable; try again later',
        { details: { retryAfter: 1 }, cause: error },
      );
    }
    return first ? undefined : new StepUpError('ERR_DPOP_PROOF_REPLAYED', 'The DPoP proof was already used');
  }

  function check(
    proof: string,
    accessToken: string,
    token: VerifiedToken,
    request: StepUpRequest,
  ): CheckedProof {
    if (proof.length > maxLength) throw invalid('The DPoP proof is too large');
    let jws: ReturnType<typeof parseCompact>;
    try {
      jws = parseCompact(proof);
    } catch (cause) {
      throw invalid('The DPoP proof is not a JWT', cause);
    }
    const { alg, jwk } = checkProofHeader(jws.header, algorithms);
    const claims = readProofClaims(jws.payload);
    const key = importProofKey(jwk);
    if (key === undefined) throw invalid('The DPoP proof jwk is not a usable key (RSA needs 2048 bits)');
    if (!verifySignature(alg, key.key, jws)) throw invalid('The DPoP proof signature is invalid');
    if (claims.htm !== request.method) throw invalid('The DPoP proof htm does not match the request method');
    if (normalizeHtu(claims.htu) !== expectedHtu(origin, request.url))
      throw invalid('The DPoP proof htu does not match the request URL');
    const nowSeconds = now() / 1000;
    if (claims.iat > nowSeconds + clockTolerance) throw invalid('The DPoP proof iat is in the future');
    if (claims.iat < nowSeconds - proofMaxAge) throw invalid('The DPoP proof is too old');
    if (claims.ath !== accessTokenHash(accessToken))
      throw invalid('The DPoP proof ath does not match the access token');
    const freshness = nonces?.check(claims.nonce);
    if (freshness === 'invalid')
      throw new StepUpError(
        'ERR_DPOP_NONCE_REQUIRED',
        'The DPoP proof must carry the nonce this server issued',
        {
          details: { dpopNonce: nonces!.current() },
        },
      );
    const { jkt } = key;
    if (jkt !== token.confirmation?.jkt)
      throw new StepUpError(
        'ERR_DPOP_BINDING_MISMATCH',
        'The DPoP proof key is not the key the access token is bound to',
      );
    return {
      key: `dpop:${createHash('sha256').update(`${jkt}.${claims.jti}`).digest('base64url')}`,
      expiresAt: Math.ceil((claims.iat + proofMaxAge + 1) * 1000),
      nonce: freshness === 'previous' ? nonces!.current() : undefined,
    };
  }

  return { check, consume };
}

export type ProofVerifier = ReturnType<typeof createProofVerifier>;
