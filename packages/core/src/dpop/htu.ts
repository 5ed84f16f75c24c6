import { StepUpError } from '../errors.js';

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
// What a client may put in htu: a URI (RFC 3986) has no spaces, controls or non-ASCII characters; the
// URL parser would silently drop tabs and newlines, so they are refused before it sees them.
const URI_CHARS = /^[\x21-\x7e]+$/;

/**
 * RFC 3986 §6.2.2.1–2 on a path: percent-encodings in upper case, and those of unreserved characters
 * decoded (`%7e` and `~` are the same path). The URL parser does the rest of §6.2.2–6.2.3: scheme and
 * host in lower case, the scheme's default port dropped, dot segments removed, an empty path as `/`.
 */
function normalizePath(path: string): string {
  if (!path.includes('%')) return path;
  return path.replace(/%[0-9A-Fa-f]{2}/g, (encoded) => {
    const char = String.fromCharCode(Number.parseInt(encoded.slice(1), 16));
    return UNRESERVED.test(char) ? char : encoded.toUpperCase();
  });
}

/**
 * A proof's `htu` in the normal form it is compared in (RFC 9449 §4.3 step 9, RFC 3986 §6.2.2–6.2.3):
 * `scheme://host[:port]/path`, without query and fragment, which the comparison ignores. `undefined`
 * when it is not an absolute http(s) URI.
 */
export function normalizeHtu(htu: string): string | undefined {
  if (!URI_CHARS.test(htu) || !URL.canParse(htu)) return undefined;
  const url = new URL(htu);
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '')
    return undefined;
  return `${url.origin}${normalizePath(url.pathname)}`;
}

/**
 * The `htu` a proof for this request must carry: the configured public `origin` and the request
 * target's path (query and fragment dropped), normalized as `normalizeHtu` does. The request's `Host`
 * and `X-Forwarded-*` headers are never read: a proof made for another host stays refused whatever
 * the client says the host is (express-oauth2-jwt-bearer 1.9.1 built it from `Host`). An absolute-form
 * target (`GET https://other.example/x`) contributes its path only.
 *
 * @throws StepUpError `ERR_REQUEST_MALFORMED` for a target that is neither origin-form nor absolute-form.
 */
export function expectedHtu(origin: string, target: string): string {
  let path: string;
  if (target.startsWith('/')) {
    const end = target.search(/[?#]/);
    path = end === -1 ? target : target.slice(0, end);
  } else if (URL.canParse(target) && /^https?:/i.test(target)) {
    path = new URL(target).pathname;
  } else {
    throw new StepUpError('ERR_REQUEST_MALFORMED', 'The request target is not a path');
  }
  // Concatenated, not resolved against the origin: `//attacker.test/x` stays a path on this origin.
  const normalized = normalizeHtu(origin + path);
  if (normalized === undefined)
    throw new StepUpError('ERR_REQUEST_MALFORMED', 'The request target is not a path');
  return normalized;
}
