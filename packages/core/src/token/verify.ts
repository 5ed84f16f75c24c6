import { errors, type JWTPayload, jwtVerify, type ProtectedHeaderParameters } from 'jose';
import type { IssuerRules } from '../assurance/issuer-rules.js';
import { StepUpError, type StepUpErrorCode } from '../errors.js';
import type { ResolvedIssuer } from '../options.js';
import type { TokenCache } from './cache.js';
import { BASE_CLAIMS, RFC9068_CLAIMS, toVerifiedToken } from './claims.js';
import { parseCompact } from './compact.js';
import { checkHeader } from './header.js';
import type { KeyEntry } from './key-entry.js';
import { createLocalKeySet, createRemoteKeySet, type KeySet } from './key-set.js';
import type { VerifiedToken } from './types.js';

interface IssuerRuntime {
  readonly options: ResolvedIssuer;
  readonly keys: KeySet;
  readonly algorithms: ReadonlySet<string>;
  readonly requiredClaims: string[];
  readonly rules: IssuerRules;
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
}

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
    if (error.claim === 'nbf')
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
  for (const issuer of options.issuers) {
    issuers.set(issuer.issuer, {
      options: issuer,
      keys: keySetOf(issuer, options),
      algorithms: new Set(issuer.algorithms),
      requiredClaims: [...(issuer.legacyClaims ? BASE_CLAIMS : RFC9068_CLAIMS)],
      rules: options.rules.get(issuer.issuer)!,
    });
  }

  function fromCache(token: string, nowMs: number): VerifiedToken | undefined {
    const entry = cache?.get(token);
    if (entry === undefined) return undefined;
    const verified = entry.token;
    const nowSeconds = nowMs / 1000;
    const nbf = verified.claims.nbf;
    if (
      !entry.keys.trusts(entry.key, nowMs) ||
      nowSeconds - clockTolerance >= verified.expiresAt ||
      (nbf !== undefined && nbf > nowSeconds + clockTolerance) ||
      (verified.claims.iat ?? 0) > nowSeconds + clockTolerance
    ) {
      cache!.delete(token);
      return undefined;
    }
    return verified;
  }

  /** jose's verification with one key: the payload, or `undefined` when the signature does not match. */
  async function tryKey(
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

  async function verifyCold(token: string, nowMs: number): Promise<VerifiedToken> {
    const jws = parseCompact(token);
    const iss = jws.payload.iss;
    const issuer = typeof iss === 'string' ? issuers.get(iss) : undefined;
    if (issuer === undefined) throw fail('ERR_TOKEN_ISSUER', 'The access token issuer is not accepted');
    const { alg, kid } = checkHeader(
      jws.header,
      issuer.algorithms,
      issuer.options.legacyJwtTyp,
      issuer.options.untypedTokens !== undefined,
    );
    const candidates = await issuer.keys.candidates(alg, kid, nowMs);
    if (candidates.length === 0) throw keyUnknown();
    if (candidates.length > MAX_KEY_CANDIDATES)
      throw keyUnknown(new Error(`${candidates.length} keys match a token without kid`));
    for (const key of candidates) {
      const result = await tryKey(token, key, alg, issuer, nowMs);
      if (result === undefined) continue;
      const latest = Math.floor(nowMs / 1000) + clockTolerance;
      const verified = toVerifiedToken(result.payload, result.protectedHeader, issuer.rules, latest);
      cache?.set(token, { token: verified, key, keys: issuer.keys });
      return verified;
    }
    throw signatureInvalid();
  }

  return {
    /** A cached, still trusted and time-valid verification of exactly this token, or `undefined`. */
    lookup(token: string): VerifiedToken | undefined {
      return cache === undefined ? undefined : fromCache(token, now());
    },
    /**
     * Verifies the token (no cache lookup: call `lookup` first) and caches the result.
     * @throws StepUpError with an `ERR_TOKEN_*` code (`invalid_token`), or `ERR_JWKS_UNAVAILABLE`.
     */
    verify(token: string): Promise<VerifiedToken> {
      return verifyCold(token, now());
    },
  };
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;
