import type { JWTPayload, ProtectedHeaderParameters } from 'jose';
import { StepUpError } from '../errors.js';
import type { AssuranceLevels } from '../policy/levels.js';
import { readAuthorizationDetails } from '../transaction/read-claim.js';
import type { VerifiedToken } from './types.js';

/** RFC 9068 §2.2: the claims every JWT access token carries. */
export const RFC9068_CLAIMS = ['iss', 'exp', 'aud', 'sub', 'iat', 'client_id', 'jti'] as const;
/** What an issuer with `legacyClaims` must still send (never without `exp`). */
export const BASE_CLAIMS = ['iss', 'exp', 'aud', 'sub', 'iat'] as const;

export const invalidClaim = (what: string) =>
  new StepUpError('ERR_TOKEN_CLAIMS', `The access token has an invalid ${what} claim`);

function readScopes(payload: JWTPayload): Set<string> {
  const raw = payload.scope ?? payload.scp;
  if (raw === undefined) return new Set();
  if (typeof raw === 'string') {
    const scopes = new Set(raw.split(' '));
    scopes.delete('');
    return scopes;
  }
  if (Array.isArray(raw) && raw.every((s) => typeof s === 'string')) return new Set(raw);
  throw invalidClaim('scope');
}

/**
 * Checks the types of the claims jose does not know about (and `iat`, `auth_time` not after `latest`),
 * and builds the verified view of a token whose signature and registered claims were verified.
 *
 * @param latest the latest acceptable time, seconds since the epoch (now plus the clock tolerance)
 * @throws StepUpError `ERR_TOKEN_CLAIMS`
 */
export function toVerifiedToken(
  payload: JWTPayload,
  header: ProtectedHeaderParameters,
  levels: AssuranceLevels,
  latest: number,
): VerifiedToken {
  const { sub, acr, amr, auth_time: authTime, client_id: clientId, iat, exp } = payload;
  if (typeof sub !== 'string' || sub === '') throw invalidClaim('sub');
  if (typeof iat !== 'number' || iat > latest) throw invalidClaim('iat');
  if (clientId !== undefined && typeof clientId !== 'string') throw invalidClaim('client_id');
  if (payload.jti !== undefined && typeof payload.jti !== 'string') throw invalidClaim('jti');
  if (acr !== undefined && (typeof acr !== 'string' || acr === '')) throw invalidClaim('acr');
  if (amr !== undefined && !(Array.isArray(amr) && amr.every((m) => typeof m === 'string')))
    throw invalidClaim('amr');
  if (
    authTime !== undefined &&
    (typeof authTime !== 'number' || !Number.isFinite(authTime) || authTime > latest)
  )
    throw invalidClaim('auth_time');
  const details = readAuthorizationDetails(payload.authorization_details);
  if (details === null) throw invalidClaim('authorization_details');
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
  if (details !== undefined) verified.authorizationDetails = details;
  return verified;
}
