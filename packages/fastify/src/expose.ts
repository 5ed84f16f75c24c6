import type { StepUpError } from '@stepup/core';

const EXPOSED = /(?:^|,)\s*www-authenticate\s*(?:,|$)/i;

/**
 * Adds `Access-Control-Expose-Headers: WWW-Authenticate` to a denial's headers, keeping the names an
 * earlier CORS middleware already exposed (`prior`), so browser scripts on another origin can read the
 * challenge (Fetch standard, CORS-safelisted response headers). Only denials that carry a challenge get it.
 * Does not set any other CORS header: `Access-Control-Allow-Origin` stays the CORS middleware's job.
 */
export function exposeChallenge(error: StepUpError, prior: unknown): void {
  if (error.headers['www-authenticate'] === undefined) return;
  const before = prior === undefined ? '' : String(prior);
  if (EXPOSED.test(before)) return;
  const value = before === '' ? 'WWW-Authenticate' : `${before}, WWW-Authenticate`;
  error.headers = { ...error.headers, 'access-control-expose-headers': value };
}
