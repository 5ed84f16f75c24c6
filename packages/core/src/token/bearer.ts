import { StepUpError } from '../errors.js';
import type { StepUpRequest } from '../request.js';

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
// RFC 9110 §5.6.2 token characters: a scheme longer than "Bearer" (e.g. "Bearerx") is another scheme.
const SCHEME_CHAR = /^[!#$%&'*+.^_`|~0-9A-Za-z-]$/;
const malformed = (message: string) => new StepUpError('ERR_REQUEST_MALFORMED', message);

/**
 * Whether the query has an `access_token` parameter (RFC 6750 §2.3), however its name is encoded:
 * `URLSearchParams` decodes names, so `access%5Ftoken` is found too. The scan is skipped only when the
 * query holds neither the name nor a `%`, which no encoding of it avoids.
 */
function hasQueryToken(url: string): boolean {
  const q = url.indexOf('?');
  if (q === -1) return false;
  if (!url.includes('access_token', q) && !url.includes('%', q)) return false;
  const hash = url.indexOf('#', q);
  return new URLSearchParams(url.slice(q + 1, hash === -1 ? undefined : hash)).has('access_token');
}

/** Whether the request carries an access token in the query or the form body (RFC 6750 §2.2, §2.3). */
export function tokenOutsideHeader(request: StepUpRequest): boolean {
  if (hasQueryToken(request.url)) return true;
  const body = request.body;
  return typeof body === 'object' && body !== null && Object.hasOwn(body, 'access_token');
}

const accepted = (name: string, dpop: boolean): Credentials['scheme'] | undefined => {
  const lower = name.toLowerCase();
  return lower === 'bearer' ? 'bearer' : dpop && lower === 'dpop' ? 'dpop' : undefined;
};

/** The credentials of a request: the scheme it used (lower-case) and the access token. */
export interface Credentials {
  readonly scheme: 'bearer' | 'dpop';
  readonly token: string;
}

/**
 * Reads the access token from the `Authorization` header, exactly `Bearer 1*SP b64token` (RFC 6750
 * §2.1) or, when `dpop` is set, `DPoP 1*SP token68` (RFC 9449 §7.1, the same characters); the scheme
 * is case-insensitive, and any other separator after it is `invalid_request`. Tokens in the query or
 * the form body (RFC 6750 §2.2, §2.3) are refused as `invalid_request` rather than silently ignored.
 * Does not look inside the token beyond its length, and does not read the `DPoP` proof header.
 *
 * @throws StepUpError `ERR_TOKEN_MISSING` (no credentials of an accepted scheme), `ERR_REQUEST_MALFORMED`
 * (two credentials, an empty token, illegal characters, a token outside the header), `ERR_TOKEN_TOO_LARGE`.
 */
export function extractCredentials(request: StepUpRequest, maxLength: number, dpop: boolean): Credentials {
  const credentials = readCredentials(request, maxLength, dpop);
  checkTokenCharacters(credentials.token);
  return credentials;
}

/**
 * `extractCredentials` but for the token's characters (`checkTokenCharacters`), for a caller that checks
 * them only when they matter: the engine skips them for a token its cache holds, which is the same
 * string as one that passed them before it was verified.
 */
export function readCredentials(request: StepUpRequest, maxLength: number, dpop: boolean): Credentials {
  let header = request.headers.authorization;
  if (Array.isArray(header)) {
    if (header.length > 1) throw malformed('Only one Authorization header is allowed');
    header = header[0];
  }
  if (tokenOutsideHeader(request))
    throw malformed('Access tokens are accepted only in the Authorization header');
  if (typeof header !== 'string' || header === '')
    throw new StepUpError('ERR_TOKEN_MISSING', 'Authentication required');
  // The scheme is the leading token characters (RFC 9110 §11.4): "Bearerx" is another scheme, and
  // anything else after it (a tab, a comma, a no-break space) makes a malformed credential. The common
  // case, an accepted scheme and a space, is found without scanning character by character.
  let end = header.indexOf(' ');
  let scheme = end === 6 || end === 4 ? accepted(header.slice(0, end), dpop) : undefined;
  if (scheme === undefined) {
    end = 0;
    while (end < header.length && SCHEME_CHAR.test(header.charAt(end))) end++;
    scheme = accepted(header.slice(0, end), dpop);
  }
  if (scheme === undefined) throw new StepUpError('ERR_TOKEN_MISSING', 'Authentication required');
  let start = end;
  while (header.charCodeAt(start) === 32) start++;
  if (start === end && header.length > end) throw malformed('The Authorization header is malformed');
  const token = header.slice(start);
  if (token === '')
    throw malformed(scheme === 'bearer' ? 'The bearer token is empty' : 'The access token is empty');
  if (token.length > maxLength) throw new StepUpError('ERR_TOKEN_TOO_LARGE', 'The access token is too large');
  return { scheme, token };
}

/**
 * The token's characters: a `b64token` (RFC 6750 §2.1; RFC 9449 §7.1 `token68`, the same set).
 * @throws StepUpError `ERR_REQUEST_MALFORMED`
 */
export function checkTokenCharacters(token: string): void {
  if (!B64TOKEN.test(token)) throw malformed('The Authorization header is malformed');
}

/**
 * Reads the bearer token from the `Authorization` header, exactly `Bearer 1*SP b64token` (RFC 6750
 * §2.1; the scheme is case-insensitive): see `extractCredentials`, which also reads the DPoP scheme.
 *
 * @throws StepUpError `ERR_TOKEN_MISSING` (no bearer credentials), `ERR_REQUEST_MALFORMED` (two
 * credentials, an empty token, illegal characters, a token outside the header), `ERR_TOKEN_TOO_LARGE`.
 */
export function extractBearerToken(request: StepUpRequest, maxLength: number): string {
  return extractCredentials(request, maxLength, false).token;
}
