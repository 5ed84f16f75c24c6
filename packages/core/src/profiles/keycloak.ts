import { z } from 'zod';
import type { IssuerOptions } from '../options.js';
import { spaceless } from '../schema.js';
import { acrAssurance, baseUrl, commonOptions, parseProfile } from './shared.js';

const loa = z.number().int().min(0).max(100);

const schema = z
  .strictObject({
    /** The realm's issuer, `https://<host>/realms/<realm>`. */
    issuer: baseUrl,
    ...commonOptions,
    /** The realm's (or client's) "ACR to LoA Mapping", as configured in Keycloak: `{ silver: 1, gold: 2 }`. */
    acrToLoa: z.record(spaceless, loa).default({}),
    /** Each named level to the lowest Keycloak level of authentication (LoA) that meets it. */
    levels: z.record(spaceless, loa).refine((map) => Object.keys(map).length > 0, 'map at least one level'),
  })
  .superRefine((options, ctx) => {
    const seen = new Map<number, string>();
    for (const [level, value] of Object.entries(options.levels)) {
      const other = seen.get(value);
      if (other !== undefined)
        ctx.addIssue({ code: 'custom', path: ['levels', level], message: `LoA ${value} is also ${other}'s` });
      seen.set(value, level);
    }
  });

/** Options of `keycloak`. */
export interface KeycloakProfileOptions {
  readonly issuer: string;
  readonly audience: string | readonly string[];
  readonly acrToLoa?: Readonly<Record<string, number>>;
  readonly levels: Readonly<Record<string, number>>;
  readonly baseline?: string;
  readonly jwksUri?: string;
}

/**
 * The `acr` values that prove each named level: every LoA from the level's own up to (not including)
 * the next level's, each by its mapped ACR name (canonical: the lowest) and as the number Keycloak
 * writes when a LoA has no name.
 */
function acrValues(
  acrToLoa: Record<string, number>,
  levels: Record<string, number>,
): Record<string, string[]> {
  const ordered = Object.entries(levels).sort(([, a], [, b]) => a - b);
  const top = Math.max(...Object.values(acrToLoa), ...Object.values(levels));
  const names = Object.entries(acrToLoa).sort(([, a], [, b]) => a - b);
  return Object.fromEntries(
    ordered.map(([level, from], i) => {
      const to = ordered[i + 1]?.[1] ?? top + 1;
      const values: string[] = [];
      for (let n = from; n < to; n++) {
        for (const [acr, value] of names) if (value === n) values.push(acr);
        values.push(String(n));
      }
      return [level, values];
    }),
  );
}

/**
 * Issuer options for a Keycloak realm with step-up by level of authentication: Keycloak maps the
 * requested `acr_values` to numeric LoAs ("ACR to LoA Mapping" in the realm or client settings), runs
 * the browser flow's "Condition - Level of Authentication" subflows, and writes the reached level's ACR
 * name (or the LoA number when it has none) into `acr`. What it sets, all visible in the result:
 * - `jwksUri` `${issuer}/protocol/openid-connect/certs`, `algorithms: ['RS256']`;
 * - `legacyJwtTyp: true`: Keycloak's access tokens carry `typ: JWT` in the header (keycloak#34146 asks
 *   for `at+jwt`); `legacyClaims: true`: the client is in `azp`, not `client_id`;
 * - `assurance`: levels from `acr` with the values derived from your `acrToLoa` and the LoA of each
 *   named level, `maxAge` on `auth_time`, RFC 9470 challenges (Keycloak honours `acr_values`, `max_age`).
 *
 * Freshness caveat: Keycloak reuses a level authenticated earlier in the session for as long as that
 * level's "Max Age" in the flow allows, without a new authentication; set each level's Max Age no
 * longer than the smallest `maxAge` you require for it. LoA 0 (a session cookie, no authentication)
 * meets a level only if you map it to one.
 *
 * Sources: https://www.keycloak.org/docs/latest/server_admin/ ("Creating a browser login flow with step-up mechanism", ACR to LoA mapping); https://github.com/keycloak/keycloak/issues/34146 (`typ` of access tokens)
 *
 * @throws StepUpError `ERR_CONFIG_INVALID`
 * @example
 * issuers: [keycloak({ issuer: 'https://id.bank.example/realms/bank', audience: 'bank-api',
 *   acrToLoa: { silver: 1, gold: 2 }, levels: { standard: 1, high: 2 } })]
 */
export function keycloak(input: KeycloakProfileOptions): IssuerOptions {
  const { issuer, audience, jwksUri, acrToLoa, levels, baseline } = parseProfile(schema, input, 'keycloak');
  return {
    issuer,
    audience,
    jwksUri: jwksUri ?? `${issuer}/protocol/openid-connect/certs`,
    algorithms: ['RS256'],
    legacyJwtTyp: true,
    legacyClaims: true,
    assurance: acrAssurance(acrValues(acrToLoa, levels), baseline),
  };
}
