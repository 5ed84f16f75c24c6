import { z } from 'zod';
import type { IssuerOptions } from '../options.js';
import { secureUrl } from '../schema.js';
import { acrAssurance, baseUrl, commonOptions, type LevelMap, levelMap, parseProfile } from './shared.js';

/** Ory's authenticator assurance levels (Ory Kratos sessions: `aal1` one factor, `aal2` two). */
export const ORY_AAL = { aal1: 'aal1', aal2: 'aal2' } as const;

const schema = z.strictObject({
  /** The OAuth2 issuer (Ory Network: `https://<project>.projects.oryapis.com`, or your custom domain). */
  issuer: secureUrl,
  ...commonOptions,
  levels: levelMap,
  /** Where the JWKS is when not at `<issuer>/.well-known/jwks.json`. */
  jwksUri: baseUrl.optional(),
});

/** Options of `ory`. */
export interface OryProfileOptions {
  readonly issuer: string;
  readonly audience: string | readonly string[];
  /** Each named level to the `acr` value(s) your login accept sets (by default Ory's AAL names, `ORY_AAL`). */
  readonly levels: LevelMap;
  readonly baseline?: string;
  readonly jwksUri?: string;
}

/**
 * Issuer options for Ory OAuth2 (Hydra) with JWT access tokens. Hydra writes the `acr` and `amr` the
 * login provider sets when it accepts a login (`acceptOAuth2LoginRequest`: "ACR sets the Authentication
 * AuthorizationContext Class Reference value for this authentication session"); with Ory's own login
 * that is the session's AAL, `aal1` or `aal2`. What it sets, all visible in the result:
 * - `jwksUri` `<issuer>/.well-known/jwks.json`; the algorithms and the RFC 9068 checks left at the
 *   engine's defaults (Hydra's JWT access tokens carry `client_id`, `jti`, and `scp` for scopes);
 * - `assurance`: levels from `acr` with your mapping, `maxAge` on `auth_time`, RFC 9470 challenges.
 *
 * Not checked: whether your login accept sets `acr` from the session's real AAL; if it sets nothing,
 * tokens state no level and level requirements fail (`ERR_ACR_MISSING`), never pass.
 *
 * Sources: https://www.ory.sh/docs/reference/api (acceptOAuth2LoginRequest: `acr`, `amr`); https://www.ory.sh/docs/kratos/mfa/step-up-authentication (AAL)
 *
 * @throws StepUpError `ERR_CONFIG_INVALID`
 * @example
 * issuers: [ory({ issuer: 'https://bank.projects.oryapis.com', audience: 'https://api.bank.example',
 *   levels: { standard: ORY_AAL.aal1, high: ORY_AAL.aal2 } })]
 */
export function ory(input: OryProfileOptions): IssuerOptions {
  const { issuer, audience, jwksUri, levels, baseline } = parseProfile(schema, input, 'ory');
  return {
    issuer,
    audience,
    jwksUri: jwksUri ?? `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`,
    assurance: acrAssurance(levels, baseline),
  };
}
