import type { EntraChallengeOptions } from '../assurance/schema.js';
import type { ChallengeRendering, StepUpError } from '../errors.js';
import { defaultChallenges, schemeChallenges } from './render.js';
import { sanitizeDescription } from './serialize.js';
import type { Challenge } from './types.js';

/**
 * The claims request a client sends back to Entra for an authentication context: `essential` so that
 * Entra issues the token only once the context's Conditional Access policy is met. Minified, as
 * Microsoft asks ("relying party applications SHOULD minify the JSON before base 64 encoding").
 */
export const entraClaimsRequest = (context: string): string =>
  JSON.stringify({ access_token: { acrs: { essential: true, value: context } } });

/**
 * Microsoft Entra's claims challenge for an authentication-context step-up, in place of RFC 9470's
 * (learn.microsoft.com/entra/identity-platform/claims-challenge, "Claims challenge header format"):
 * `401`, `Bearer realm="<tenant>", authorization_uri="…", client_id="…", error="insufficient_claims",
 * error_description="…", claims="<base64 of {"access_token":{"acrs":{"essential":true,"value":"c1"}}}>"`.
 * `claims` is standard base64 (with padding) of the minified JSON, as in Microsoft's example and its
 * `Convert.ToBase64String` sample. The context asked for is the first of `details.acrValues`: the
 * canonical context of the required level (MSAL and Microsoft.Identity.Web pass it to `/authorize`).
 *
 * Every other failure (no token, invalid token, missing scope, a failure that names no context) gets
 * the default challenges: Entra clients handle those as plain RFC 6750 answers. When the engine accepts
 * DPoP, the claims challenge is placed as the default one is (`schemeChallenges`): under the scheme the
 * request used, beside the other scheme's plain challenge (RFC 9449 §7.1).
 *
 * @example entraClaimsChallenge(error, { format: 'entra', authorizationUri }, { realm: undefined, resourceMetadata: undefined })
 */
export function entraClaimsChallenge(
  error: StepUpError,
  options: EntraChallengeOptions,
  rendering: ChallengeRendering,
): Challenge[] {
  const context = error.isStepUp ? error.details.acrValues?.[0] : undefined;
  if (context === undefined) return defaultChallenges(error, rendering);
  const params: Record<string, string> = {};
  if (options.realm !== undefined) params.realm = options.realm;
  params.authorization_uri = options.authorizationUri;
  if (options.clientId !== undefined) params.client_id = options.clientId;
  params.error = 'insufficient_claims';
  const description = sanitizeDescription(error.message);
  if (description !== '') params.error_description = description;
  // The JSON is ASCII (contexts are validated token characters), so btoa is exact and portable.
  params.claims = btoa(entraClaimsRequest(context));
  const { scope } = error.details;
  if (scope !== undefined && scope.length > 0) params.scope = scope.join(' ');
  if (rendering.resourceMetadata !== undefined) params.resource_metadata = rendering.resourceMetadata;
  return schemeChallenges(error, rendering, params);
}
