import type { JWTPayload, ProtectedHeaderParameters } from 'jose';
import { StepUpError } from '../errors.js';
import type { AssuranceLevels } from '../policy/levels.js';
import type { TokenConfirmation, VerifiedToken } from './types.js';

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

// A SHA-256 thumbprint in canonical unpadded base64url: 32 bytes are 43 characters, the last one
// carrying 4 bits of padding (one of AEIMQUYcgkosw048).
const SHA256_THUMBPRINT = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/** `cnf` (RFC 7800 §3.1): an object; `jkt` and `x5t#S256`, when present, SHA-256 thumbprints. */
function readConfirmation(cnf: unknown): TokenConfirmation {
  if (typeof cnf !== 'object' || cnf === null || Array.isArray(cnf)) throw invalidClaim('cnf');
  const { jkt, 'x5t#S256': x5t } = cnf as Record<string, unknown>;
  if (jkt !== undefined && !(typeof jkt === 'string' && SHA256_THUMBPRINT.test(jkt)))
    throw invalidClaim('cnf');
  if (x5t !== undefined && !(typeof x5t === 'string' && SHA256_THUMBPRINT.test(x5t)))
    throw invalidClaim('cnf');
  const confirmation: { jkt?: string; 'x5t#S256'?: string } = {};
  if (jkt !== undefined) confirmation.jkt = jkt;
  if (x5t !== undefined) confirmation['x5t#S256'] = x5t;
  return confirmation;
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
  if (payload.cnf !== undefined) verified.confirmation = readConfirmation(payload.cnf);
  return verified;
}
