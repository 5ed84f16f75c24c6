import { z } from 'zod';
import type { IssuerOptions } from '../options.js';
import { commonOptions, type LevelMap, levelMap, parseProfile, withBaseline } from './shared.js';

/** Why `maxAge` is refused for Entra (shown in the construction error). */
export const ENTRA_FRESHNESS =
  'Entra access tokens carry no claim that moves when a Conditional Access authentication context is ' +
  'satisfied (auth_time is an optional claim for the sign-in); require freshness with the sign-in ' +
  "frequency control of the context's Conditional Access policy instead";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Authentication context IDs `c1` … `c99` (Entra's IDs for Conditional Access authentication contexts). */
const CONTEXT = /^c([1-9]|[1-9][0-9])$/;

const schema = z
  .strictObject({
    /** The directory (tenant) ID, a GUID: it is in the issuer and the authorize URL. */
    tenantId: z.string().regex(GUID, 'must be the tenant ID (a GUID)'),
    ...commonOptions,
    /** Each named level to its authentication context ID(s), `c1` … `c99`. */
    levels: levelMap,
    /** `accessTokenAcceptedVersion` of the API's app registration: 2 (default) or 1. */
    tokenVersion: z.union([z.literal(1), z.literal(2)]).default(2),
    /** The API's application (client) ID, sent as `client_id` in the claims challenge as Microsoft's samples do. */
    clientId: z.string().regex(GUID, 'must be an application (client) ID (a GUID)').optional(),
  })
  .superRefine((options, ctx) => {
    for (const [level, values] of Object.entries(options.levels))
      for (const value of values)
        if (!CONTEXT.test(value))
          ctx.addIssue({ code: 'custom', path: ['levels', level], message: `${value} is not c1 … c99` });
  });

/** Options of `entra`. */
export interface EntraProfileOptions {
  readonly tenantId: string;
  /** The API's `aud`: its client ID (v2 tokens) or Application ID URI (v1). */
  readonly audience: string | readonly string[];
  readonly levels: LevelMap;
  readonly baseline?: string;
  readonly tokenVersion?: 1 | 2;
  readonly clientId?: string;
  readonly jwksUri?: string;
}

/**
 * Issuer options for a Microsoft Entra ID API that steps up with Conditional Access authentication
 * contexts (learn.microsoft.com/entra/identity-platform/developer-guide-conditional-access-authentication-context):
 * a token meets a context when its `acrs` claim lists it, and a token that does not is answered with
 * Entra's claims challenge, which MSAL clients act on. What it sets, all visible in the result:
 * - issuer `https://login.microsoftonline.com/<tenant>/v2.0` (v1: `https://sts.windows.net/<tenant>/`),
 *   `jwksUri` `https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys`, `algorithms: ['RS256']`;
 * - `legacyJwtTyp: true`: Entra access tokens have `typ` "always `JWT`" ("Access token claims
 *   reference", header claims), so an Entra ID token is told apart only by its `aud` (your API's, not
 *   the client's) — never configure a client's ID as the audience;
 * - `legacyClaims: true`: the client is in `azp`/`appid` and the token ID in `uti` (no `client_id`, `jti`);
 * - `assurance`: levels from `acrs` with your contexts, freshness none (see `ENTRA_FRESHNESS`: `maxAge`
 *   is refused), and `challenge: { format: 'entra' }`: `401 Bearer realm="<tenant>",
 *   authorization_uri="…/oauth2/v2.0/authorize", error="insufficient_claims", claims="<base64>"`.
 *
 * Contexts are a set in Entra; levels keep `levels`' order, so map a higher level to a context whose
 * policy includes the lower ones' controls. Does not check `xms_cc` (whether the client declared it can
 * handle claims challenges): every client gets the claims challenge.
 *
 * Sources: https://learn.microsoft.com/entra/identity-platform/claims-challenge; https://learn.microsoft.com/entra/identity-platform/developer-guide-conditional-access-authentication-context; https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference; https://learn.microsoft.com/entra/identity-platform/optional-claims-reference (`auth_time`, `acrs`, `xms_cc`)
 *
 * @throws StepUpError `ERR_CONFIG_INVALID`
 * @example
 * issuers: [entra({ tenantId, audience: apiClientId, baseline: 'standard', levels: { high: 'c1' } })]
 */
export function entra(input: EntraProfileOptions): IssuerOptions {
  const options = parseProfile(schema, input, 'entra');
  const { tenantId, audience, jwksUri, levels, baseline, tokenVersion, clientId } = options;
  const login = `https://login.microsoftonline.com/${tenantId}`;
  return {
    issuer: tokenVersion === 2 ? `${login}/v2.0` : `https://sts.windows.net/${tenantId}/`,
    audience,
    jwksUri: jwksUri ?? `${login}/discovery/v2.0/keys`,
    algorithms: ['RS256'],
    legacyJwtTyp: true,
    legacyClaims: true,
    assurance: {
      from: 'acrs',
      levels,
      ...withBaseline(baseline),
      freshness: { none: ENTRA_FRESHNESS },
      challenge: {
        format: 'entra',
        authorizationUri: `${login}/oauth2/v2.0/authorize`,
        realm: tenantId,
        ...(clientId === undefined ? {} : { clientId }),
      },
    },
  };
}
