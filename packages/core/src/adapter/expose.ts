import type { StepUpError } from '../errors.js';

const EXPOSED = /(?:^|,)\s*www-authenticate\s*(?:,|$)/i;

/**
 * The headers to answer a denial with, plus `Access-Control-Expose-Headers: WWW-Authenticate` when the
 * denial carries a challenge, keeping the names an earlier CORS middleware already exposed (`prior`, the
 * response's current value), so browser scripts on another origin can read the challenge (Fetch
 * standard: `WWW-Authenticate` is not CORS-safelisted). Sets no other CORS header:
 * `Access-Control-Allow-Origin` stays the CORS middleware's job. Pure: returns a new object.
 */
export function exposedHeaders(error: StepUpError, prior: unknown): Readonly<Record<string, string>> {
  if (error.headers['www-authenticate'] === undefined) return error.headers;
  const before = prior === undefined || prior === null ? '' : String(prior);
  if (EXPOSED.test(before)) return error.headers;
  const value = before === '' ? 'WWW-Authenticate' : `${before}, WWW-Authenticate`;
  return { ...error.headers, 'access-control-expose-headers': value };
}
