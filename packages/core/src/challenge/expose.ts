import type { StepUpError } from '../errors.js';

const EXPOSED = /(?:^|,)\s*www-authenticate\s*(?:,|$)/i;

/**
 * Adds `Access-Control-Expose-Headers: WWW-Authenticate` to a denial's headers, keeping the names an
 * earlier CORS middleware already exposed (`prior`, the response's current value), so browser scripts
 * on another origin can read the challenge (Fetch standard: `WWW-Authenticate` is not CORS-safelisted).
 * Only denials that carry a challenge get it. Sets no other CORS header: `Access-Control-Allow-Origin`
 * stays the CORS middleware's job. For adapters.
 */
export function exposeChallenge(error: StepUpError, prior: unknown): void {
  if (error.headers['www-authenticate'] === undefined) return;
  const before = prior === undefined || prior === null ? '' : String(prior);
  if (EXPOSED.test(before)) return;
  const value = before === '' ? 'WWW-Authenticate' : `${before}, WWW-Authenticate`;
  error.headers = { ...error.headers, 'access-control-expose-headers': value };
}
