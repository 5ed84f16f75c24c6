import { z } from 'zod';
import type { IssuerOptions } from '../options.js';
import { acrAssurance, commonOptions, type LevelMap, levelMap, parseProfile } from './shared.js';

/**
 * Amazon Cognito's four fixed levels under their default names (Cognito developer guide,
 * "Authentication levels with ACR and AMR claims"; a pool may rename them with `AcrConfiguration`).
 * Not ordered by strength as one might guess: level 2 is a single emailed or texted one-time code.
 */
export const COGNITO_ACR = {
  /** Password only. */
  level1: 'urn:cognito:loa:1',
  /** One one-time password by SMS or email (no passkey). */
  level2: 'urn:cognito:loa:2',
  /** A passkey alone, or a password with an SMS or email one-time code. */
  level3: 'urn:cognito:loa:3',
  /** A password with a TOTP from an authenticator app. */
  level4: 'urn:cognito:loa:4',
} as const;

const schema = z.strictObject({
  /** The AWS Region of the user pool, e.g. `eu-west-1`. */
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS Region such as eu-west-1'),
  /** The user pool ID, e.g. `eu-west-1_AbCdEf123`. */
  userPoolId: z.string().regex(/^[\w-]+_[0-9a-zA-Z]+$/, 'must be a user pool ID such as eu-west-1_AbCdEf123'),
  ...commonOptions,
  levels: levelMap,
});

/** Options of `cognito`. */
export interface CognitoProfileOptions {
  readonly region: string;
  readonly userPoolId: string;
  /** Your API's resource identifier: Cognito puts it in `aud` when the client sends `resource` (resource binding). */
  readonly audience: string | readonly string[];
  /** Each named level to the Cognito `acr` value(s) that prove it (see `COGNITO_ACR`). */
  readonly levels: LevelMap;
  readonly baseline?: string;
  readonly jwksUri?: string;
}

/**
 * Issuer options for an Amazon Cognito user pool with ACR levels (Essentials or Plus plan). What it
 * sets, all visible in the result:
 * - issuer `https://cognito-idp.<region>.amazonaws.com/<pool>`, `jwksUri` `${issuer}/.well-known/jwks.json`,
 *   `algorithms: ['RS256']`;
 * - `untypedTokens: { claim: 'token_use', value: 'access' }`: Cognito's token header is `{ kid, alg }`
 *   with no `typ`; `token_use` is `access` in access tokens and `id` in ID tokens ("Using the access token");
 * - the RFC 9068 claims stay required, `aud` included: Cognito access tokens have `aud` only with
 *   resource binding (the client sends `resource=<audience>`, "resource indicators"); without it they
 *   have none and are refused (`invalid_token`), never accepted for any API;
 * - `assurance`: levels from `acr` with your mapping, `maxAge` on `auth_time` (Cognito: refresh keeps
 *   `acr`, `amr` and `auth_time`; a step-up issues new tokens), RFC 9470 challenges (the authorize
 *   endpoint takes `acr_values` and `max_age`).
 *
 * Sources: https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-step-up-authentication.html; https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html; https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html (resource binding)
 *
 * @throws StepUpError `ERR_CONFIG_INVALID`
 * @example
 * issuers: [cognito({ region: 'eu-west-1', userPoolId: 'eu-west-1_AbCdEf123', audience: 'https://api.bank.example',
 *   levels: { standard: COGNITO_ACR.level1, high: [COGNITO_ACR.level3, COGNITO_ACR.level4] } })]
 */
export function cognito(input: CognitoProfileOptions): IssuerOptions {
  const { region, userPoolId, audience, jwksUri, levels, baseline } = parseProfile(schema, input, 'cognito');
  const issuer = `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
  return {
    issuer,
    audience,
    jwksUri: jwksUri ?? `${issuer}/.well-known/jwks.json`,
    algorithms: ['RS256'],
    untypedTokens: { claim: 'token_use', value: 'access' },
    assurance: acrAssurance(levels, baseline),
  };
}
