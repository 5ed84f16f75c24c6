import type { JWTPayload, ProtectedHeaderParameters } from 'jose';
import type { IssuerRules } from '../assurance/issuer-rules.js';
import { StepUpError } from '../errors.js';
import { readAuthorizationDetails } from '../transaction/read-claim.js';
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
    if (!raw.includes(' ')) return new Set(raw === '' ? [] : [raw]);
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

/** A claim the payload itself has (a configured name such as `constructor` must not read a prototype). */
const own = (payload: JWTPayload, name: string): unknown =>
  Object.hasOwn(payload, name) ? payload[name] : undefined;

const isTime = (value: unknown, latest: number): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value <= latest;

/**
 * The issuer-specific claims (`issuers[i].assurance`, `untypedTokens`): a token without `typ` must carry
 * the issuer's access-token mark, the evidence claim must have its type, and the freshness time is read.
 * @returns the freshness time (seconds), when the issuer's rule finds one
 */
function readIssuerClaims(
  payload: JWTPayload,
  header: ProtectedHeaderParameters,
  rules: IssuerRules,
  latest: number,
  authTime: number | undefined,
): number | undefined {
  const { untyped, source, freshness } = rules;
  // A missing typ got past `checkHeader` only when `untypedTokens` is configured; check it here anyway.
  // The mark must be a non-empty string (and the configured value): never `null`, never inherited.
  if (header.typ === undefined) {
    const mark = untyped === undefined ? undefined : own(payload, untyped.claim);
    if (typeof mark !== 'string' || mark === '' || (untyped?.value !== undefined && mark !== untyped.value))
      throw new StepUpError('ERR_TOKEN_TYPE', 'The token is not an access token (typ must be at+jwt)');
  }
  if (source === 'acrs') {
    const acrs = payload.acrs;
    if (acrs !== undefined && !(Array.isArray(acrs) && acrs.every((v) => typeof v === 'string' && v !== '')))
      throw invalidClaim('acrs');
  }
  if (freshness === 'auth_time') return authTime;
  if (typeof freshness !== 'object' || !('claim' in freshness)) return undefined;
  const at = own(payload, freshness.claim);
  if (at !== undefined && !isTime(at, latest)) throw invalidClaim(freshness.claim);
  return at;
}

/**
 * Checks the types of the claims jose does not know about (and `iat`, `auth_time` not after `latest`),
 * and builds the verified view of a token whose signature and registered claims were verified, reading
 * its level and freshness with its issuer's rules.
 *
 * @param latest the latest acceptable time, seconds since the epoch (now plus the clock tolerance)
 * @throws StepUpError `ERR_TOKEN_CLAIMS`, `ERR_TOKEN_TYPE` (no `typ` and no access-token mark)
 */
export function toVerifiedToken(
  payload: JWTPayload,
  header: ProtectedHeaderParameters,
  rules: IssuerRules,
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
  if (authTime !== undefined && !isTime(authTime, latest)) throw invalidClaim('auth_time');
  const details = readAuthorizationDetails(payload.authorization_details);
  if (details === null) throw invalidClaim('authorization_details');
  const authenticatedAt = readIssuerClaims(payload, header, rules, latest, authTime);
  const scopes = readScopes(payload);
  const level = rules.levelFor(payload, scopes);
  // Built by assignment: optional members are absent, not `undefined` (no spread per member).
  const verified: { -readonly [K in keyof VerifiedToken]: VerifiedToken[K] } = {
    issuer: payload.iss!,
    subject: sub,
    scopes,
    expiresAt: exp!,
    claims: payload,
    header,
  };
  if (clientId !== undefined) verified.clientId = clientId as string;
  if (acr !== undefined) verified.acr = acr as string;
  if (level !== undefined) verified.level = level;
  if (amr !== undefined) verified.amr = amr as string[];
  if (authTime !== undefined) verified.authTime = authTime as number;
  if (authenticatedAt !== undefined) verified.authenticatedAt = authenticatedAt;
  if (details !== undefined) verified.authorizationDetails = details;
  if (payload.cnf !== undefined) verified.confirmation = readConfirmation(payload.cnf);
  return verified;
}
