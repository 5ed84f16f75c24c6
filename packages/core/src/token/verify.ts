import { errors, type JWTPayload, jwtVerify, type ProtectedHeaderParameters } from 'jose';
import type { IssuerRules } from '../assurance/issuer-rules.js';
import { StepUpError, type StepUpErrorCode } from '../errors.js';
import type { ResolvedIssuer } from '../options.js';
import type { CacheEntry, GrantMemo, TokenCache } from './cache.js';
import { BASE_CLAIMS, RFC9068_CLAIMS, toVerifiedToken } from './claims.js';
import { type CompactJws, HeaderCache, parseCompact } from './compact.js';
import { checkHeader, type TokenHeader } from './header.js';
import { type ClaimsExpectation, checkRegisteredClaims, presenceOrder } from './jwt-claims.js';
import type { KeyEntry } from './key-entry.js';
import { createLocalKeySet, createRemoteKeySet, type KeySet } from './key-set.js';
import { verifySignatureNative } from './native-backend.js';
import type { VerifiedToken } from './types.js';

interface IssuerRuntime {
  readonly options: ResolvedIssuer;
  readonly keys: KeySet;
  readonly algorithms: ReadonlySet<string>;
  readonly requiredClaims: string[];
  readonly claims: ClaimsExpectation & { readonly presence: readonly string[] };
  readonly rules: IssuerRules;
  /** `checkHeader`'s answer for each header that passed it: headers are shared (`HeaderCache`). */
  readonly checkedHeaders: WeakMap<object, TokenHeader>;
}

export interface TokenVerifierOptions {
  readonly issuers: readonly ResolvedIssuer[];
  /** Each issuer's rules (`issuers[i].assurance`), keyed by `issuer`. */
  readonly rules: ReadonlyMap<string, IssuerRules>;
  /** Seconds. */
  readonly clockTolerance: number;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  readonly fetch: typeof fetch;
  readonly cache?: TokenCache | undefined;
  /**
   * `native`: node:crypto's one-shot verify and this module's registered-claims checks, synchronous
   * when the issuer's keys are at hand. `jose`: jose's `jwtVerify`, the reference the differential test
   * holds `native` to.
   */
  readonly backend: 'native' | 'jose';
}

/** A token split and decoded for verification (`TokenVerifier.prepare`), or why it cannot be. */
export type Prepared =
  | { readonly token: string; readonly jws: CompactJws }
  | { readonly token: string; readonly error: StepUpError };

/** A token without `kid` is tried against at most this many keys of its algorithm's type. */
export const MAX_KEY_CANDIDATES = 4;

const fail = (code: StepUpErrorCode, message: string, cause?: unknown) =>
  new StepUpError(code, message, cause === undefined ? {} : { cause });
const signatureInvalid = (cause?: unknown) =>
  fail('ERR_TOKEN_SIGNATURE', 'The access token signature is invalid', cause);
const keyUnknown = (cause?: unknown) =>
  fail('ERR_TOKEN_KEY_UNKNOWN', 'The access token was signed with an unknown key', cause);

function mapJoseError(error: unknown): StepUpError {
  if (error instanceof StepUpError) return error;
  if (error instanceof errors.JWTExpired) return fail('ERR_TOKEN_EXPIRED', 'The access token expired', error);
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss')
      return fail('ERR_TOKEN_ISSUER', 'The access token issuer is not accepted', error);
    if (error.claim === 'aud')
      return fail('ERR_TOKEN_AUDIENCE', 'The access token is not for this resource', error);
    // A wrong-typed `nbf` is a bad claim, not a token from the future.
    if (error.claim === 'nbf' && error.reason === 'check_failed')
      return fail('ERR_TOKEN_NOT_YET_VALID', 'The access token is not yet valid', error);
    return fail('ERR_TOKEN_CLAIMS', 'The access token lacks a required claim or has an invalid one', error);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return signatureInvalid(error);
  if (error instanceof errors.JOSEAlgNotAllowed)
    return fail('ERR_TOKEN_ALGORITHM', 'The access token algorithm is not accepted', error);
  return fail('ERR_TOKEN_MALFORMED', 'The access token is malformed', error);
}

function keySetOf(issuer: ResolvedIssuer, options: TokenVerifierOptions): KeySet {
  if (issuer.jwks !== undefined) return createLocalKeySet(issuer.jwks);
  return createRemoteKeySet({
    url: issuer.jwksUri!,
    fetch: options.fetch,
    cooldown: issuer.jwksCooldown,
    maxAge: issuer.jwksCacheMaxAge,
    timeout: issuer.jwksTimeout,
    now: options.now,
  });
}

/**
 * Validates JWT access tokens (RFC 9068, RFC 8725) for a fixed allow-list of issuers.
 *
 * Before any key is looked up or fetched: the token is split strictly (canonical base64url, so one token
 * has one string form), its unverified `iss` must be allow-listed (a stranger's token never causes a
 * JWKS fetch), and its header must pass `checkHeader` (alg allow-list, no `crit`/`b64`, `typ`). Then jose
 * verifies the signature with that issuer's keys only (the one named by `kid`, or, without `kid`, each key
 * of the algorithm's type in turn, at most `MAX_KEY_CANDIDATES`), `iss`, `aud`, `exp`, `nbf` with the
 * clock tolerance, and the required claims `iss exp aud sub iat client_id jti`; `toVerifiedToken` checks
 * the other claims' types. Does not check scopes, `acr` or `auth_time` against a policy: see
 * `evaluateRequirement`.
 */
export function createTokenVerifier(options: TokenVerifierOptions) {
  const { clockTolerance, now, cache } = options;
  const issuers = new Map<string, IssuerRuntime>();
  const headers = new HeaderCache();
  for (const issuer of options.issuers) {
    const requiredClaims = [...(issuer.legacyClaims ? BASE_CLAIMS : RFC9068_CLAIMS)];
    issuers.set(issuer.issuer, {
      options: issuer,
      keys: keySetOf(issuer, options),
      algorithms: new Set(issuer.algorithms),
      requiredClaims,
      claims: {
        issuer: issuer.issuer,
        audience: issuer.audience,
        requiredClaims,
        presence: presenceOrder(requiredClaims),
      },
      rules: options.rules.get(issuer.issuer)!,
      checkedHeaders: new WeakMap(),
    });
  }

  /** Whether a cached verification still stands at `nowMs`: its key trusted, its time claims valid. */
  function stands(entry: CacheEntry, nowMs: number): boolean {
    const verified = entry.token;
    const nowSeconds = nowMs / 1000;
    const nbf = verified.claims.nbf;
    return !(
      !entry.keys.trusts(entry.key, nowMs) ||
      nowSeconds - clockTolerance >= verified.expiresAt ||
      (nbf !== undefined && nbf > nowSeconds + clockTolerance) ||
      (verified.claims.iat ?? 0) > nowSeconds + clockTolerance
    );
  }

  function fromCache(token: string, nowMs: number): VerifiedToken | undefined {
    const entry = cache?.get(token);
    if (entry === undefined) return undefined;
    if (!stands(entry, nowMs)) {
      cache!.delete(token);
      return undefined;
    }
    return entry.token;
  }

  /** jose's verification with one key: the payload, or `undefined` when the signature does not match. */
  async function tryJose(
    token: string,
    key: KeyEntry,
    alg: string,
    issuer: IssuerRuntime,
    nowMs: number,
  ): Promise<{ payload: JWTPayload; protectedHeader: ProtectedHeaderParameters } | undefined> {
    let cryptoKey: CryptoKey;
    try {
      cryptoKey = await key.import(alg);
    } catch {
      return undefined; // material jose cannot use for this algorithm: this key did not sign it
    }
    try {
      return await jwtVerify(token, cryptoKey, {
        issuer: issuer.options.issuer,
        audience: issuer.options.audience,
        algorithms: [alg],
        requiredClaims: issuer.requiredClaims,
        currentDate: new Date(nowMs),
        clockTolerance,
      });
    } catch (error) {
      // jose refuses RSA keys under 2048 bits with a TypeError before verifying: not this key either.
      if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof TypeError)
        return undefined;
      throw mapJoseError(error);
    }
  }

  /** Builds, caches and returns the verified view of a token `key` verified. */
  function accept(
    token: string,
    payload: JWTPayload,
    header: ProtectedHeaderParameters,
    key: KeyEntry,
    issuer: IssuerRuntime,
    nowMs: number,
  ): VerifiedToken {
    const verified = toVerifiedToken(
      payload,
      header,
      issuer.rules,
      Math.floor(nowMs / 1000) + clockTolerance,
    );
    cache?.set(token, { token: verified, key, keys: issuer.keys });
    return verified;
  }

  /** The native backend over the candidate keys: synchronous. */
  function verifyNative(
    token: string,
    jws: CompactJws,
    alg: string,
    candidates: readonly KeyEntry[],
    issuer: IssuerRuntime,
    nowMs: number,
  ): VerifiedToken {
    for (const key of candidates) {
      if (!verifySignatureNative(jws, key, alg)) continue;
      checkRegisteredClaims(jws.payload, issuer.claims, nowMs, clockTolerance);
      return accept(
        token,
        jws.payload as JWTPayload,
        jws.header as ProtectedHeaderParameters,
        key,
        issuer,
        nowMs,
      );
    }
    throw signatureInvalid();
  }

  async function verifyJose(
    token: string,
    alg: string,
    candidates: readonly KeyEntry[],
    issuer: IssuerRuntime,
    nowMs: number,
  ): Promise<VerifiedToken> {
    for (const key of candidates) {
      const result = await tryJose(token, key, alg, issuer, nowMs);
      if (result !== undefined)
        return accept(token, result.payload, result.protectedHeader, key, issuer, nowMs);
    }
    throw signatureInvalid();
  }

  const checkCandidates = (candidates: readonly KeyEntry[]) => {
    if (candidates.length === 0) throw keyUnknown();
    if (candidates.length > MAX_KEY_CANDIDATES)
      throw keyUnknown(new Error(`${candidates.length} keys match a token without kid`));
    return candidates;
  };

  async function verifyLoading(
    token: string,
    jws: CompactJws,
    alg: string,
    kid: string | undefined,
    issuer: IssuerRuntime,
    nowMs: number,
  ): Promise<VerifiedToken> {
    const candidates = checkCandidates(await issuer.keys.candidates(alg, kid, nowMs));
    return options.backend === 'native'
      ? verifyNative(token, jws, alg, candidates, issuer, nowMs)
      : verifyJose(token, alg, candidates, issuer, nowMs);
  }

  /**
   * Verifies a token not in the cache. Synchronous (a value, or a thrown `StepUpError`) with the
   * native backend when the issuer's keys are at hand; a promise when keys must be loaded, or with jose.
   */
  function verifyCold(token: string, jws: CompactJws, nowMs: number): VerifiedToken | Promise<VerifiedToken> {
    const iss = jws.payload.iss;
    const issuer = typeof iss === 'string' ? issuers.get(iss) : undefined;
    if (issuer === undefined) throw fail('ERR_TOKEN_ISSUER', 'The access token issuer is not accepted');
    let checked = issuer.checkedHeaders.get(jws.header);
    if (checked === undefined) {
      checked = checkHeader(
        jws.header,
        issuer.algorithms,
        issuer.options.legacyJwtTyp,
        issuer.options.untypedTokens !== undefined,
      );
      issuer.checkedHeaders.set(jws.header, checked);
    }
    const { alg, kid } = checked;
    const ready = options.backend === 'native' ? issuer.keys.candidatesNow(alg, kid, nowMs) : undefined;
    if (ready !== undefined) return verifyNative(token, jws, alg, checkCandidates(ready), issuer, nowMs);
    return verifyLoading(token, jws, alg, kid, issuer, nowMs);
  }

  return {
    /** A cached, still trusted and time-valid verification of exactly this token, or `undefined`. */
    lookup(token: string): VerifiedToken | undefined {
      return cache === undefined ? undefined : fromCache(token, now());
    },
    /**
     * The memo kept for exactly this `Authorization` header and operation (`remember`), when its token's
     * cached verification still stands at `nowMs` (as `lookup` requires). Anything else, including an
     * entry that no longer stands, is left to the full path, which refuses or deletes.
     */
    remembered(header: string, operation: string, nowMs: number): GrantMemo | undefined {
      const hit = cache?.remembered(header, operation);
      return hit !== undefined && stands(hit, nowMs) ? hit.memo : undefined;
    },
    /** Keeps `memo` with the cache entry of exactly `token`, if it has one. */
    remember(token: string, memo: GrantMemo): void {
      cache?.remember(token, memo);
    },
    /**
     * Splits and decodes the token (`parseCompact`), verifying nothing: what `verify` takes. A token that
     * is not a compact JWS is not refused here but carries its error, for `verify` to throw (a caller
     * may have other checks to make first).
     */
    prepare(token: string): Prepared {
      try {
        return { token, jws: parseCompact(token, headers) };
      } catch (error) {
        if (!(error instanceof StepUpError)) throw error;
        return { token, error };
      }
    },
    /**
     * Verifies a prepared token (no cache lookup: call `lookup` first) and caches the result:
     * synchronously when it can (see `verifyCold`), else as a promise.
     * @throws StepUpError with an `ERR_TOKEN_*` code (`invalid_token`), or `ERR_JWKS_UNAVAILABLE` (thrown
     * synchronously or as a rejection).
     */
    verify(prepared: Prepared): VerifiedToken | Promise<VerifiedToken> {
      if ('error' in prepared) throw prepared.error;
      return verifyCold(prepared.token, prepared.jws, now());
    },
  };
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;
