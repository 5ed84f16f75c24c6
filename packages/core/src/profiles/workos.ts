import { z } from 'zod';
import type { IssuerOptions } from '../options.js';
import { baseUrl, commonOptions, parseProfile, withBaseline } from './shared.js';

const schema = z.strictObject({
  /** Your AuthKit domain, e.g. `https://auth.bank.example` (the issuer of AuthKit access tokens). */
  issuer: baseUrl,
  ...commonOptions,
});

/** Options of `workos`. */
export interface WorkosProfileOptions {
  readonly issuer: string;
  readonly audience: string | readonly string[];
  /** The level every token reaches: WorkOS tokens state no level, so none above it can be met. */
  readonly baseline?: string;
  readonly jwksUri?: string;
}

/**
 * Issuer options for WorkOS AuthKit. WorkOS tokens say *when* the user signed in, not *how*: "every
 * AuthKit access token includes an `auth_time` claim … It advances only from an active authentication,
 * not from a refresh", and re-authentication is asked for with RFC 9470's `max_age` (WorkOS,
 * "Reauthentication"). What it sets, all visible in the result:
 * - `jwksUri` `<issuer>/oauth2/jwks`; the algorithms and the RFC 9068 checks left at the engine's
 *   defaults, `aud` included (tokens without one are refused);
 * - `assurance`: `from: 'none'` (no level evidence: a requirement above `baseline` always fails with
 *   `ERR_ACR_MISSING`), `maxAge` on `auth_time`, RFC 9470 challenges (`max_age`).
 *
 * Sources: https://workos.com/docs/authkit/reauthentication; https://workos.com/docs/authkit/connect/token-claims
 *
 * @throws StepUpError `ERR_CONFIG_INVALID`
 * @example
 * issuers: [workos({ issuer: 'https://auth.bank.example', audience: 'https://api.bank.example', baseline: 'standard' })]
 */
export function workos(input: WorkosProfileOptions): IssuerOptions {
  const { issuer, audience, jwksUri, baseline } = parseProfile(schema, input, 'workos');
  return {
    issuer,
    audience,
    jwksUri: jwksUri ?? `${issuer}/oauth2/jwks`,
    assurance: { from: 'none', ...withBaseline(baseline), freshness: 'auth_time', challenge: 'rfc9470' },
  };
}
