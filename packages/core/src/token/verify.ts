import {
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
  type ProtectedHeaderParameters,
} from 'jose';
import { StepUpError, type StepUpErrorCode } from '../errors.js';
import type { ResolvedIssuer } from '../options.js';
import type { AssuranceLevels } from '../policy/levels.js';
import type { TokenCache } from './cache.js';
import { createIssuerKeys, type IssuerKeys } from './keys.js';
import type { VerifiedToken } from './types.js';

const RFC9068_CLAIMS = ['iss', 'exp', 'aud', 'sub', 'iat', 'client_id', 'jti'];
const BASE_CLAIMS = ['iss', 'exp', 'aud', 'sub', 'iat'];

interface IssuerRuntime {
  readonly options: ResolvedIssuer;
  readonly keys: IssuerKeys;
  /** The issuer's keys behind the header checks jose leaves to us (`typ`, any `crit`). */
  readonly getKey: JWTVerifyGetKey;
  readonly algorithms: ReadonlySet<string>;
  readonly requiredClaims: readonly string[];
}

export interface TokenVerifierOptions {
  readonly issuers: readonly ResolvedIssuer[];
  readonly levels: AssuranceLevels;
  /** Seconds. */
  readonly clockTolerance: number;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  readonly fetch?: typeof fetch | undefined;
  readonly cache?: TokenCache | undefined;
}

const fail = (code: StepUpErrorCode, message: string, cause?: unknown) =>
  new StepUpError(code, message, cause === undefined ? {} : { cause });
const invalidClaims = (what: string) =>
  fail('ERR_TOKEN_CLAIMS', `The access token has an invalid ${what} claim`);

function normalizeTyp(typ: unknown): string | undefined {
  if (typeof typ !== 'string') return undefined;
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice(12) : lower;
}

/**
 * jose calls the key resolver after it has parsed the header, refused unknown `crit` names and checked
 * the algorithm allow-list, and before any key is fetched: the place for the header checks it leaves.
 */
function guardHeader(getKey: JWTVerifyGetKey, legacyJwtTyp: boolean): JWTVerifyGetKey {
  return (header, token) => {
    // jose accepts `crit: ["b64"]`; no extension is understood here, so any `crit` is refused.
    if (header.crit !== undefined)
      throw fail('ERR_TOKEN_CRIT', 'The access token has unsupported critical headers');
    const typ = normalizeTyp(header.typ);
    if (typ !== 'at+jwt' && !(typ === 'jwt' && legacyJwtTyp))
      throw fail('ERR_TOKEN_TYPE', 'The token is not an access token (typ must be at+jwt)');
    return getKey(header, token);
  };
}

function hasCrit(token: string): boolean {
  try {
    return decodeProtectedHeader(token).crit !== undefined;
  } catch {
    return false;
  }
}

function mapJoseError(error: unknown, token: string): StepUpError {
  if (error instanceof StepUpError) return error;
  // jose refuses `crit` names it does not recognize before calling the key resolver.
  if (error instanceof errors.JOSENotSupported && hasCrit(token))
    return fail('ERR_TOKEN_CRIT', 'The access token has unsupported critical headers', error);
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
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return fail('ERR_TOKEN_SIGNATURE', 'The access token signature is invalid', error);
  if (error instanceof errors.JOSEAlgNotAllowed)
    return fail('ERR_TOKEN_ALGORITHM', 'The access token algorithm is not accepted', error);
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return fail('ERR_TOKEN_KEY_UNKNOWN', 'The access token was signed with an unknown key', error);
  return fail('ERR_TOKEN_MALFORMED', 'The access token is malformed', error);
}

function readScopes(payload: JWTPayload): Set<string> {
  const raw = payload.scope ?? payload.scp;
  if (raw === undefined) return new Set();
  if (typeof raw === 'string') {
    const scopes = new Set(raw.split(' '));
    scopes.delete('');
    return scopes;
  }
  if (Array.isArray(raw) && raw.every((s) => typeof s === 'string')) return new Set(raw);
  throw invalidClaims('scope');
}

/** Checks claim types jose does not know about, and builds the verified view. */
function toVerifiedToken(
  payload: JWTPayload,
  header: ProtectedHeaderParameters,
  levels: AssuranceLevels,
  latest: number,
): VerifiedToken {
  const { sub, acr, amr, auth_time: authTime, client_id: clientId, iat, exp } = payload;
  if (typeof sub !== 'string' || sub === '') throw invalidClaims('sub');
  if (typeof iat !== 'number' || iat > latest) throw invalidClaims('iat');
  if (clientId !== undefined && typeof clientId !== 'string') throw invalidClaims('client_id');
  if (payload.jti !== undefined && typeof payload.jti !== 'string') throw invalidClaims('jti');
  if (acr !== undefined && (typeof acr !== 'string' || acr === '')) throw invalidClaims('acr');
  if (amr !== undefined && !(Array.isArray(amr) && amr.every((m) => typeof m === 'string')))
    throw invalidClaims('amr');
  if (
    authTime !== undefined &&
    (typeof authTime !== 'number' || !Number.isFinite(authTime) || authTime > latest)
  )
    throw invalidClaims('auth_time');
  const level = levels.levelOf(acr as string | undefined);
  // Built by assignment: optional members are absent, not `undefined` (no spread per member).
  const verified: { -readonly [K in keyof VerifiedToken]: VerifiedToken[K] } = {
    issuer: payload.iss!,
    subject: sub,
    scopes: readScopes(payload),
    expiresAt: exp!,
    claims: payload,
    header,
  };
  if (clientId !== undefined) verified.clientId = clientId as string;
  if (acr !== undefined) verified.acr = acr as string;
  if (level !== undefined) verified.level = level;
  if (amr !== undefined) verified.amr = amr as string[];
  if (authTime !== undefined) verified.authTime = authTime as number;
  return verified;
}

/**
 * Validates JWT access tokens (RFC 9068, RFC 8725) with jose, for a fixed allow-list of issuers.
 *
 * Before any key is fetched: the unverified `iss` must be allow-listed (so a stranger's token never
 * triggers a JWKS fetch), and the header must name an allow-listed algorithm, carry no `crit` (no
 * extension is understood) and have `typ` `at+jwt` (or `JWT` for an issuer with `legacyJwtTyp`). Then jose
 * checks the signature with that issuer's keys only (an embedded `jwk` is never trusted), `iss`, `aud`,
 * `exp`, `nbf` with the clock tolerance, and the required claims `iss exp aud sub iat client_id jti`.
 * Does not check scopes, `acr` or `auth_time` against a policy: see `evaluateRequirement`.
 */
export function createTokenVerifier(options: TokenVerifierOptions) {
  const { levels, clockTolerance, now, cache } = options;
  const issuers = new Map<string, IssuerRuntime>();
  for (const issuer of options.issuers) {
    const keys = createIssuerKeys(issuer, options.fetch);
    issuers.set(issuer.issuer, {
      options: issuer,
      keys,
      getKey: guardHeader(keys.getKey, issuer.legacyJwtTyp),
      algorithms: new Set(issuer.algorithms),
      requiredClaims: issuer.legacyClaims ? BASE_CLAIMS : RFC9068_CLAIMS,
    });
  }

  function fromCache(token: string, nowSeconds: number): VerifiedToken | undefined {
    const entry = cache?.get(token);
    if (entry === undefined) return undefined;
    const verified = entry.token;
    const nbf = verified.claims.nbf;
    if (
      entry.epoch !== issuers.get(entry.issuer)!.keys.epoch() ||
      nowSeconds - clockTolerance >= verified.expiresAt ||
      (nbf !== undefined && nbf > nowSeconds + clockTolerance) ||
      (verified.claims.iat ?? 0) > nowSeconds + clockTolerance
    ) {
      cache!.delete(token);
      return undefined;
    }
    return verified;
  }

  async function verifyCold(token: string, nowMs: number): Promise<VerifiedToken> {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch (error) {
      throw fail('ERR_TOKEN_MALFORMED', 'The access token is malformed', error);
    }
    const issuer = typeof unverified.iss === 'string' ? issuers.get(unverified.iss) : undefined;
    if (issuer === undefined) throw fail('ERR_TOKEN_ISSUER', 'The access token issuer is not accepted');
    try {
      const { payload, protectedHeader } = await jwtVerify(token, issuer.getKey, {
        issuer: issuer.options.issuer,
        audience: issuer.options.audience,
        algorithms: issuer.options.algorithms,
        requiredClaims: issuer.requiredClaims as string[],
        currentDate: new Date(nowMs),
        clockTolerance,
      });
      const verified = toVerifiedToken(
        payload,
        protectedHeader,
        levels,
        Math.floor(nowMs / 1000) + clockTolerance,
      );
      cache?.set(token, verified, verified.issuer, issuer.keys.epoch());
      return verified;
    } catch (error) {
      throw mapJoseError(error, token);
    }
  }

  return {
    /** A cached, still time-valid verification of exactly this token, or `undefined`. Synchronous. */
    lookup(token: string): VerifiedToken | undefined {
      return cache === undefined ? undefined : fromCache(token, now() / 1000);
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
