import { parseChallenges } from './parse.js';

/** What a client needs from an RFC 9470 challenge to go back to the authorization server. */
export interface StepUpChallenge {
  /** acr values, any one of which the resource accepts, in order of preference (may be empty). */
  readonly acrValues: readonly string[];
  /** Seconds since the last authentication the resource accepts, when it said. */
  readonly maxAge?: number;
  readonly description?: string;
  /** Scopes that were also missing, when the resource said. */
  readonly scope?: readonly string[];
}

/**
 * Whether a challenge's scheme is one an access token is presented with: `Bearer` (RFC 6750) or `DPoP`
 * (RFC 9449 §7.1, where a DPoP request's refusal carries its error). Schemes are lower-case once parsed.
 */
export const isTokenScheme = (scheme: string): boolean => scheme === 'bearer' || scheme === 'dpop';

/**
 * Finds the Bearer (or, for a DPoP request, DPoP) challenge with
 * `error="insufficient_user_authentication"` in a `WWW-Authenticate` value (RFC 9470 §3) and reads its
 * parameters, for a client about to re-authorize. Returns `undefined` when the header holds no such
 * challenge. A `max_age` that is not a non-negative integer is ignored.
 *
 * @throws StepUpError `ERR_CHALLENGE_MALFORMED` when the header is malformed.
 * @example
 * const c = readStepUpChallenge(response.headers.get('www-authenticate') ?? '');
 * if (c) authorize({ acr_values: c.acrValues.join(' '), max_age: c.maxAge });
 */
export function readStepUpChallenge(header: string): StepUpChallenge | undefined {
  const challenge = parseChallenges(header).find(
    (c) => isTokenScheme(c.scheme) && c.params.error === 'insufficient_user_authentication',
  );
  return challenge === undefined ? undefined : readStepUpParams(challenge.params);
}

/**
 * The RFC 9470 §3 parameters of one parsed challenge (`acr_values`, `max_age`, `error_description`,
 * `scope`), whatever its `error`. A `max_age` that is not a non-negative integer is ignored.
 */
export function readStepUpParams(params: Readonly<Record<string, string>>): StepUpChallenge {
  const { acr_values: acr, max_age: maxAge, error_description: description, scope } = params;
  return {
    acrValues: acr === undefined ? [] : acr.split(' ').filter((v) => v !== ''),
    ...(maxAge !== undefined && /^\d{1,10}$/.test(maxAge) ? { maxAge: Number(maxAge) } : {}),
    ...(description === undefined ? {} : { description }),
    ...(scope === undefined ? {} : { scope: scope.split(' ').filter((v) => v !== '') }),
  };
}
