import { StepUpError, type StepUpErrorCode, type StepUpErrorDetails } from '../errors.js';
import type { VerifiedToken } from '../token/types.js';
import type { ResolvedRequirement } from './requirement.js';

/**
 * Checks a verified token against a requirement. Pure: returns the failure, or `undefined` when met.
 *
 * Order: user authentication (acr, auth_time, amr) first, then scope. A token that fails both gets the
 * step-up challenge with the missing `scope` added (RFC 9470 §3 allows it), so the client fixes both in
 * one round trip; a token that only lacks scope gets 403 `insufficient_scope` (RFC 6750 §3.1).
 * A missing `acr` or `auth_time` is insufficient, never a pass and never `invalid_token`.
 *
 * @param now seconds since the epoch
 * @param tolerance clock tolerance in seconds, applied to `auth_time`
 */
export function evaluateRequirement(
  requirement: ResolvedRequirement,
  token: VerifiedToken,
  now: number,
  tolerance: number,
): StepUpError | undefined {
  const missingScope = requirement.scope?.filter((s) => !token.scopes.has(s));
  let failure: [StepUpErrorCode, string] | undefined;
  const { accepted, maxAge, amr } = requirement;
  if (accepted !== undefined) {
    if (token.acr === undefined)
      failure = ['ERR_ACR_MISSING', 'The access token does not state how the user authenticated'];
    else if (!accepted.has(token.acr))
      failure = [
        'ERR_ACR_INSUFFICIENT',
        requirement.level === undefined
          ? 'A stronger authentication is required'
          : `A stronger authentication is required (level ${requirement.level})`,
      ];
  }
  if (failure === undefined && maxAge !== undefined) {
    if (token.authTime === undefined)
      failure = ['ERR_AUTH_TIME_MISSING', 'The access token does not state when the user authenticated'];
    else if (now - token.authTime > maxAge + tolerance)
      failure = [
        'ERR_AUTH_TIME_TOO_OLD',
        `A more recent authentication is required (within ${maxAge} seconds)`,
      ];
  }
  if (failure === undefined && amr !== undefined) {
    const used = new Set(token.amr ?? []);
    if (!amr.every((m) => used.has(m)))
      failure = ['ERR_AMR_INSUFFICIENT', 'The required authentication methods were not used'];
  }
  const scope = missingScope !== undefined && missingScope.length > 0 ? missingScope : undefined;
  if (failure === undefined) {
    if (scope === undefined) return undefined;
    return new StepUpError('ERR_SCOPE_INSUFFICIENT', 'The access token lacks a required scope', {
      details: { scope },
    });
  }
  const details: { -readonly [K in keyof StepUpErrorDetails]: StepUpErrorDetails[K] } = {};
  if (requirement.acrValues !== undefined) details.acrValues = requirement.acrValues;
  if (maxAge !== undefined) details.maxAge = maxAge;
  if (scope !== undefined) details.scope = scope;
  if (amr !== undefined) details.amr = amr;
  if (requirement.level !== undefined) details.level = requirement.level;
  if (token.acr !== undefined) details.tokenAcr = token.acr;
  if (token.authTime !== undefined) details.authTime = token.authTime;
  return new StepUpError(failure[0], failure[1], { details });
}
