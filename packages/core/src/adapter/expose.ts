import type { StepUpError } from '../errors.js';

/** The response headers a browser script on another origin may need to read, as CORS names them. */
const READABLE = [
  ['www-authenticate', 'WWW-Authenticate'],
  ['dpop-nonce', 'DPoP-Nonce'],
] as const;

/**
 * `headers` plus `Access-Control-Expose-Headers` naming those of them a client script must read
 * (`WWW-Authenticate`, `DPoP-Nonce`, RFC 9449 §8.2, §9), keeping the names an earlier CORS middleware
 * already exposed (`prior`). Returns `headers` itself when there is nothing to add.
 */
export function withExposed(
  headers: Readonly<Record<string, string>>,
  prior: unknown,
): Readonly<Record<string, string>> {
  const before = prior === undefined || prior === null ? '' : String(prior);
  const exposed = before.split(',').map((name) => name.trim().toLowerCase());
  let value = before;
  for (const [name, display] of READABLE)
    if (headers[name] !== undefined && !exposed.includes(name))
      value = value === '' ? display : `${value}, ${display}`;
  return value === before ? headers : { ...headers, 'access-control-expose-headers': value };
}

/**
 * The headers to answer a denial with, plus `Access-Control-Expose-Headers: WWW-Authenticate` (and
 * `DPoP-Nonce` when the denial carries a nonce) when the denial carries a challenge, keeping the names
 * an earlier CORS middleware already exposed (`prior`, the response's current value), so browser
 * scripts on another origin can read the challenge (Fetch standard: `WWW-Authenticate` is not
 * CORS-safelisted). Sets no other CORS header: `Access-Control-Allow-Origin` stays the CORS
 * middleware's job. Pure: returns a new object.
 */
export function exposedHeaders(error: StepUpError, prior: unknown): Readonly<Record<string, string>> {
  return withExposed(error.headers, prior);
}
