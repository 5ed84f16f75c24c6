import { StepUpError } from '../errors.js';
import type { StepUpRequest } from '../request.js';

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const malformed = (message: string) => new StepUpError('ERR_REQUEST_MALFORMED', message);

function hasQueryToken(url: string): boolean {
  const q = url.indexOf('?');
  return (
    q !== -1 && url.includes('access_token', q) && new URLSearchParams(url.slice(q + 1)).has('access_token')
  );
}

/**
 * Reads the bearer token from the `Authorization` header (RFC 6750 §2.1; the scheme is
 * case-insensitive). Tokens in the query or the form body (RFC 6750 §2.2, §2.3) are refused as
 * `invalid_request` rather than silently ignored. Does not look inside the token beyond its length.
 *
 * @throws StepUpError `ERR_TOKEN_MISSING` (no bearer credentials), `ERR_REQUEST_MALFORMED` (two
 * credentials, an empty token, illegal characters, a token outside the header), `ERR_TOKEN_TOO_LARGE`.
 */
export function extractBearerToken(request: StepUpRequest, maxLength: number): string {
  let header = request.headers.authorization;
  if (Array.isArray(header)) {
    if (header.length > 1) throw malformed('Only one Authorization header is allowed');
    header = header[0];
  }
  if (hasQueryToken(request.url))
    throw malformed('Access tokens are accepted only in the Authorization header');
  const body = request.body;
  if (typeof body === 'object' && body !== null && Object.hasOwn(body, 'access_token'))
    throw malformed('Access tokens are accepted only in the Authorization header');
  if (typeof header !== 'string' || header === '')
    throw new StepUpError('ERR_TOKEN_MISSING', 'Authentication required');
  const space = header.indexOf(' ');
  const scheme = space === -1 ? header : header.slice(0, space);
  if (scheme.length !== 6 || scheme.toLowerCase() !== 'bearer')
    throw new StepUpError('ERR_TOKEN_MISSING', 'Authentication required');
  let start = space;
  while (start !== -1 && header.charCodeAt(start) === 32) start++;
  const token = start === -1 ? '' : header.slice(start);
  if (token === '') throw malformed('The bearer token is empty');
  if (token.length > maxLength) throw new StepUpError('ERR_TOKEN_TOO_LARGE', 'The access token is too large');
  if (!B64TOKEN.test(token)) throw malformed('The Authorization header is malformed');
  return token;
}
