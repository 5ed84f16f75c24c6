import { z } from 'zod';
import type { IssuerOptions } from '../options.js';
import { commonOptions, type LevelMap, levelMap, parseProfile, withBaseline } from './shared.js';

/** The OpenID PAPE multi-factor URI Auth0 puts in `acr` after MFA (in ID tokens). */
export const AUTH0_MFA_ACR = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';

/** Why `maxAge` is refused for Auth0 without `freshnessClaim` (shown in the construction error). */
export const AUTH0_FRESHNESS =
  "Auth0's auth_time is when the login session started and an in-session MFA step-up does not advance it, " +
  'so a maxAge check on auth_time can pass on a stale step-up; set freshnessClaim to a claim your post-login ' +
  'Action fills from the mfa entry of event.authentication.methods (its timestamp, in seconds)';

const schema = z.strictObject({
  /** The tenant's domain (`bank.eu.auth0.com`) or custom domain: the issuer is `https://<domain>/`. */
  domain: z
    .string()
    .regex(
      /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i,
      'must be a domain name',
    ),
  ...commonOptions,
  /**
   * The API's "JSON Web Token (JWT) Profile" in the Auth0 dashboard: `rfc9068` (`typ: at+jwt`,
   * `client_id`, `jti`) or `auth0`, the default one (`typ: JWT`, `azp`, no `jti`). Required: choosing
   * `auth0` relaxes the `typ` and claims checks for this issuer, and that must be a visible choice.
   */
  tokenProfile: z.enum(['rfc9068', 'auth0'], {
    message: 'must be rfc9068 or auth0 (the API’s token profile)',
  }),
  /** Which claim proves a level: a scope the Action grants only after MFA (Auth0's way for APIs), `amr` or `acr`. */
  evidence: z.enum(['scope', 'amr', 'acr']).default('scope'),
  levels: levelMap,
  /** A claim with the time (seconds) of the MFA, set by a post-login Action; without it `maxAge` is refused. */
  freshnessClaim: z.string().min(1).max(256).optional(),
});

/** Options of `auth0`. */
export interface Auth0ProfileOptions {
  readonly domain: string;
  readonly audience: string | readonly string[];
  readonly tokenProfile: 'rfc9068' | 'auth0';
  readonly evidence?: 'scope' | 'amr' | 'acr';
  /** Each named level to the scope(s) (or `amr`/`acr` values) that prove it. */
  readonly levels: LevelMap;
  readonly baseline?: string;
  readonly freshnessClaim?: string;
  readonly jwksUri?: string;
}

/**
 * Issuer options for an Auth0 API. Auth0 steps up APIs "using scopes, access tokens, and Actions": the
 * client asks for a sensitive scope, a post-login Action requires MFA before granting it (Auth0,
 * "Step-up Authentication for APIs"). So by default a level is proven by a scope, and a token without
 * it is answered `403 insufficient_scope, scope="…"`, which the client acts on by asking for the scope.
 * What it sets, all visible in the result:
 * - issuer `https://<domain>/`, `jwksUri` `https://<domain>/.well-known/jwks.json`, `algorithms: ['RS256']`;
 * - `tokenProfile: 'auth0'`: `legacyJwtTyp` and `legacyClaims` (Auth0's default access-token profile
 *   has `typ: JWT`, the client in `azp` and no `jti`, "Access Token Profiles"); `rfc9068`: neither;
 * - `assurance.from`: `scope` (or `amr`: `["mfa"]` only when a factor was presented; or `acr`);
 * - freshness: `freshnessClaim` when given, else none: `auth_time` does not move on an in-session
 *   step-up, so `maxAge` is refused at construction (see `AUTH0_FRESHNESS`). Auth0 forbids Actions to
 *   set `auth_time`, `amr` or `acr` ("Create Custom Claims", restricted claims), hence a custom claim.
 *
 * Sources: https://auth0.com/docs/secure/multi-factor-authentication/step-up-authentication/configure-step-up-authentication-for-apis; https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles; https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-event-object (`authentication.methods`); https://auth0.com/docs/secure/tokens/json-web-tokens/create-custom-claims (restricted claims)
 *
 * @throws StepUpError `ERR_CONFIG_INVALID`
 * @example
 * issuers: [auth0({ domain: 'bank.eu.auth0.com', audience: 'https://api.bank.example', tokenProfile: 'rfc9068',
 *   baseline: 'standard', levels: { high: 'transfer:funds' }, freshnessClaim: 'https://bank.example/mfa_time' })]
 */
export function auth0(input: Auth0ProfileOptions): IssuerOptions {
  const options = parseProfile(schema, input, 'auth0');
  const { domain, audience, jwksUri, levels, baseline, tokenProfile, evidence, freshnessClaim } = options;
  const legacy = tokenProfile === 'auth0';
  return {
    issuer: `https://${domain}/`,
    audience,
    jwksUri: jwksUri ?? `https://${domain}/.well-known/jwks.json`,
    algorithms: ['RS256'],
    legacyJwtTyp: legacy,
    legacyClaims: legacy,
    assurance: {
      from: evidence,
      levels,
      ...withBaseline(baseline),
      freshness: freshnessClaim === undefined ? { none: AUTH0_FRESHNESS } : { claim: freshnessClaim },
      challenge: 'rfc9470',
    },
  };
}
