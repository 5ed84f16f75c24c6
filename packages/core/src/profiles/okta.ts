import { z } from 'zod';
import type { IssuerOptions } from '../options.js';
import { acrAssurance, baseUrl, commonOptions, type LevelMap, levelMap, parseProfile } from './shared.js';

/**
 * Okta's predefined `acr_values` (developer.okta.com/docs/guides/step-up-authentication, "Predefined
 * parameter values"); the access token's `acr` claim carries the one that was met.
 */
export const OKTA_ACR = {
  /** Any one factor. */
  oneFactor: 'urn:okta:loa:1fa:any',
  /** Password only. */
  password: 'urn:okta:loa:1fa:pwd',
  /** Any two factors. */
  twoFactor: 'urn:okta:loa:2fa:any',
  /** Two factors *if the user is enrolled, otherwise one*: not a two-factor proof. */
  twoFactorIfPossible: 'urn:okta:loa:2fa:any:ifpossible',
  /** Phishing-resistant (today only FIDO2 WebAuthn); implies device binding. */
  phishingResistant: 'phr',
  /** Phishing-resistant with hardware-protected keys (today only Okta Verify). */
  phishingResistantHardware: 'phrh',
} as const;

const schema = z
  .strictObject({
    /** A custom authorization server's issuer, e.g. `https://acme.okta.com/oauth2/default`. */
    issuer: baseUrl,
    ...commonOptions,
    levels: levelMap,
    /** Accept `…:2fa:any:ifpossible` in a level (it may be one factor). Default false. */
    acceptIfPossible: z.boolean().default(false),
  })
  .superRefine((options, ctx) => {
    if (options.acceptIfPossible) return;
    for (const [level, values] of Object.entries(options.levels))
      if (values.includes(OKTA_ACR.twoFactorIfPossible))
        ctx.addIssue({
          code: 'custom',
          path: ['levels', level],
          message: `${OKTA_ACR.twoFactorIfPossible} is one factor for users without a second one enrolled (Okta); set acceptIfPossible: true to map it anyway`,
        });
  });

/** Options of `okta`. */
export interface OktaProfileOptions {
  readonly issuer: string;
  readonly audience: string | readonly string[];
  /** Each named level to the Okta `acr` value(s) that prove it (see `OKTA_ACR`). */
  readonly levels: LevelMap;
  readonly baseline?: string;
  readonly jwksUri?: string;
  readonly acceptIfPossible?: boolean;
}

/**
 * Issuer options for an Okta custom authorization server (Okta's step-up guide, "Step-up authentication
 * using ACR values"). What it sets, all visible in the result:
 * - `jwksUri` `${issuer}/v1/keys`, `algorithms: ['RS256']`;
 * - `untypedTokens: { claim: 'cid' }`: Okta access tokens have no `typ` header (their header is
 *   `{ alg, kid }`, "Access token header"); `cid` (the client) is in access tokens only, not ID tokens;
 * - `legacyClaims: true`: the client is in `cid`, not `client_id` (RFC 9068);
 * - `assurance`: levels from `acr` with your mapping, `maxAge` on `auth_time` (Okta: refreshed tokens
 *   keep the original request's acr, "use auth_time to validate when the original authentication
 *   occurred"), RFC 9470 challenges (clients send `acr_values` and `max_age` to `/authorize`).
 *
 * Refuses `urn:okta:loa:2fa:any:ifpossible` in a level unless `acceptIfPossible`: Okta meets it with
 * one factor when the user has no second one. Does not check that the issuer is a custom authorization
 * server (the org server's access tokens are not meant for your APIs).
 *
 * Sources: https://developer.okta.com/docs/guides/step-up-authentication/main/ (predefined acr_values, access token, refresh behaviour); https://developer.okta.com/docs/reference/api/oidc/ (access token header `{ alg, kid }`)
 *
 * @throws StepUpError `ERR_CONFIG_INVALID`
 * @example
 * issuers: [okta({ issuer: 'https://acme.okta.com/oauth2/default', audience: 'api://default',
 *   levels: { standard: OKTA_ACR.oneFactor, high: [OKTA_ACR.twoFactor, OKTA_ACR.phishingResistant] } })]
 */
export function okta(input: OktaProfileOptions): IssuerOptions {
  const { issuer, audience, jwksUri, levels, baseline } = parseProfile(schema, input, 'okta');
  return {
    issuer,
    audience,
    jwksUri: jwksUri ?? `${issuer}/v1/keys`,
    algorithms: ['RS256'],
    legacyClaims: true,
    untypedTokens: { claim: 'cid' },
    assurance: acrAssurance(levels, baseline),
  };
}
