import { z } from 'zod';
import type { IssuerOptions } from '../options.js';
import { acrAssurance, baseUrl, commonOptions, type LevelMap, levelMap, parseProfile } from './shared.js';

/** Logto's `acr_values_supported` (Logto, "Step-up authentication", OIDC discovery). */
export const LOGTO_ACR = {
  /** One factor. */
  oneFactor: 'urn:logto:acr:1fa',
  /** Multi-factor. */
  mfa: 'urn:logto:acr:mfa',
} as const;

const schema = z.strictObject({
  /** The tenant's endpoint, e.g. `https://abc123.logto.app` (the issuer is `<endpoint>/oidc`). */
  endpoint: baseUrl,
  ...commonOptions,
  levels: levelMap,
});

/** Options of `logto`. */
export interface LogtoProfileOptions {
  readonly endpoint: string;
  /** The API resource indicator. */
  readonly audience: string | readonly string[];
  /** Each named level to the Logto `acr` value(s) that prove it (see `LOGTO_ACR`). */
  readonly levels: LevelMap;
  readonly baseline?: string;
  readonly jwksUri?: string;
}

/**
 * Issuer options for Logto, which implements RFC 9470 itself (Logto, "Step-up authentication"): its
 * JWT access tokens carry `acr`, `amr` and `auth_time`, and its clients act on RFC 9470 challenges.
 * What it sets, all visible in the result:
 * - issuer `<endpoint>/oidc`, `jwksUri` `<endpoint>/oidc/jwks`, `algorithms: ['ES384', 'RS256']` (Logto
 *   signs with an EC P-384 key unless rotated to RSA, "Signing keys");
 * - the RFC 9068 checks unchanged (`typ: at+jwt`, `client_id`, `jti`);
 * - `assurance`: levels from `acr` with your mapping, `maxAge` on `auth_time` (Logto: refresh-token
 *   rotation keeps `acr`, `amr` and `auth_time`; refreshing does not advance `auth_time`), RFC 9470.
 *
 * Sources: https://docs.logto.io/end-user-flows/step-up-authentication; https://docs.logto.io/developers/signing-keys
 *
 * @throws StepUpError `ERR_CONFIG_INVALID`
 * @example
 * issuers: [logto({ endpoint: 'https://abc123.logto.app', audience: 'https://api.bank.example',
 *   levels: { standard: LOGTO_ACR.oneFactor, high: LOGTO_ACR.mfa } })]
 */
export function logto(input: LogtoProfileOptions): IssuerOptions {
  const { endpoint, audience, jwksUri, levels, baseline } = parseProfile(schema, input, 'logto');
  return {
    issuer: `${endpoint}/oidc`,
    audience,
    jwksUri: jwksUri ?? `${endpoint}/oidc/jwks`,
    algorithms: ['ES384', 'RS256'],
    assurance: acrAssurance(levels, baseline),
  };
}
