import { StepUpError } from '../errors.js';
import { parseChallenges } from './parse.js';
import { isTokenScheme } from './read-step-up.js';

/** What a client needs from a Microsoft Entra claims challenge to go back to the authorize endpoint. */
export interface ClaimsChallenge {
  /** The decoded claims request (JSON text): pass it, URL-encoded, as `claims` to `authorization_uri`. */
  readonly claims: string;
  /** The authentication contexts it asks for (`access_token.acrs.value` / `values`), when it names any. */
  readonly contexts: readonly string[];
  readonly authorizationUri?: string;
  readonly realm?: string;
  readonly clientId?: string;
}

const malformed = (what: string) =>
  new StepUpError('ERR_CHALLENGE_MALFORMED', `Malformed claims challenge: ${what}`);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function contextsOf(request: Record<string, unknown>): string[] {
  const token = request.access_token;
  const acrs = isRecord(token) ? token.acrs : undefined;
  if (!isRecord(acrs)) return [];
  const values = acrs.values === undefined ? [acrs.value] : acrs.values;
  return ([] as unknown[]).concat(values).filter((v): v is string => typeof v === 'string');
}

function decode(value: string): string {
  // Standard base64 as Entra sends it; base64url is accepted too (some servers send it).
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw malformed('claims is not base64');
  const padded = base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '=');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)),
    );
  } catch {
    throw malformed('claims is not base64 of UTF-8 text');
  }
}

/**
 * Finds the Bearer (or, for a DPoP request, DPoP) challenge with `error="insufficient_claims"`
 * (Microsoft Entra's claims challenge, learn.microsoft.com/entra/identity-platform/claims-challenge) in a
 * `WWW-Authenticate` value and
 * decodes its `claims`, for a client about to ask Entra for a token that meets an authentication
 * context. Returns `undefined` when the header holds no such challenge. Browser-safe (no Node API).
 *
 * @throws StepUpError `ERR_CHALLENGE_MALFORMED` when the header, or its `claims` (base64 of a JSON
 * object), is malformed.
 * @example
 * const c = readClaimsChallenge(response.headers.get('www-authenticate') ?? '');
 * if (c) location.assign(`${c.authorizationUri}?…&claims=${encodeURIComponent(c.claims)}`);
 */
export function readClaimsChallenge(header: string): ClaimsChallenge | undefined {
  const challenge = parseChallenges(header).find(
    (c) => isTokenScheme(c.scheme) && c.params.error === 'insufficient_claims',
  );
  if (challenge === undefined) return undefined;
  const {
    claims: encoded,
    authorization_uri: authorizationUri,
    realm,
    client_id: clientId,
  } = challenge.params;
  if (encoded === undefined) throw malformed('no claims parameter');
  const claims = decode(encoded);
  let request: unknown;
  try {
    request = JSON.parse(claims);
  } catch {
    throw malformed('claims is not JSON');
  }
  if (!isRecord(request)) throw malformed('claims is not a JSON object');
  return {
    claims,
    contexts: contextsOf(request),
    ...(authorizationUri === undefined ? {} : { authorizationUri }),
    ...(realm === undefined ? {} : { realm }),
    ...(clientId === undefined ? {} : { clientId }),
  };
}
