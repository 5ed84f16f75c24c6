import { StepUpError, type StepUpErrorCode, type StepUpErrorDetails } from '../errors.js';
import type { VerifiedToken } from '../token/types.js';
import { checkBinding } from '../transaction/check-binding.js';
import type { AuthorizationDetail } from '../transaction/schema.js';
import type { ResolvedRequirement } from './requirement.js';

/** What `assessRequirement` found: the failure, if any, and the approvals that matched. */
export interface Assessment {
  readonly failure: StepUpError | undefined;
  /** The token's approved `authorization_details` that matched a transaction-bound requirement. */
  readonly approved: readonly AuthorizationDetail[] | undefined;
}

type Failure = readonly [StepUpErrorCode, string];

/** acr, then auth_time within maxAge (+ tolerance), then amr; a missing acr or auth_time is insufficient. */
function userAuthenticationFailure(
  requirement: ResolvedRequirement,
  token: VerifiedToken,
  now: number,
  tolerance: number,
): Failure | undefined {
  const { accepted, maxAge, amr } = requirement;
  if (accepted !== undefined) {
    if (token.acr === undefined)
      return ['ERR_ACR_MISSING', 'The access token does not state how the user authenticated'];
    if (!accepted.has(token.acr))
      return [
        'ERR_ACR_INSUFFICIENT',
        requirement.level === undefined
          ? 'A stronger authentication is required'
          : `A stronger authentication is required (level ${requirement.level})`,
      ];
  }
  if (maxAge !== undefined) {
    if (token.authTime === undefined)
      return ['ERR_AUTH_TIME_MISSING', 'The access token does not state when the user authenticated'];
    if (now - token.authTime > maxAge + tolerance)
      return ['ERR_AUTH_TIME_TOO_OLD', `A more recent authentication is required (within ${maxAge} seconds)`];
  }
  if (amr !== undefined) {
    const used = new Set(token.amr ?? []);
    if (!amr.every((m) => used.has(m)))
      return ['ERR_AMR_INSUFFICIENT', 'The required authentication methods were not used'];
  }
  return undefined;
}

/**
 * A failure the client can fix at the authorization server: the requirement's acr values, max age,
 * amr, level and the `authorization_details` to request, the missing `scope`, and the token's facts.
 */
export function challengeFailure(
  code: StepUpErrorCode,
  message: string,
  requirement: ResolvedRequirement,
  token: VerifiedToken,
  scope?: readonly string[],
): StepUpError {
  const details: { -readonly [K in keyof StepUpErrorDetails]: StepUpErrorDetails[K] } = {};
  if (requirement.acrValues !== undefined) details.acrValues = requirement.acrValues;
  if (requirement.maxAge !== undefined) details.maxAge = requirement.maxAge;
  if (scope !== undefined) details.scope = scope;
  if (requirement.amr !== undefined) details.amr = requirement.amr;
  if (requirement.level !== undefined) details.level = requirement.level;
  if (requirement.transaction !== undefined)
    details.authorizationDetails = requirement.transaction.authorizationDetails;
  if (token.acr !== undefined) details.tokenAcr = token.acr;
  if (token.authTime !== undefined) details.authTime = token.authTime;
  return new StepUpError(code, message, { details });
}

/**
 * Checks a verified token against a requirement (pure) and says which approvals matched.
 *
 * Order: user authentication (acr, auth_time, amr), then the transaction binding (the token's approved
 * `authorization_details` against the request's), then scope. A token that fails user authentication
 * gets the step-up challenge, with the `authorization_details` to request and the missing `scope`
 * added, so the client fixes everything in one round trip; one whose only problem is the binding gets
 * `insufficient_authorization` with the acr values and max age still required; one that only lacks
 * scope gets 403 `insufficient_scope` (RFC 6750 §3.1). Single use is not checked here (it needs the
 * replay store): see `createStepUp`.
 *
 * @param now seconds since the epoch
 * @param tolerance clock tolerance in seconds, applied to `auth_time`
 */
export function assessRequirement(
  requirement: ResolvedRequirement,
  token: VerifiedToken,
  now: number,
  tolerance: number,
): Assessment {
  const missingScope = requirement.scope?.filter((s) => !token.scopes.has(s));
  const scope = missingScope !== undefined && missingScope.length > 0 ? missingScope : undefined;
  const binding =
    requirement.transaction === undefined ? undefined : checkBinding(requirement.transaction, token);
  const approved = binding?.bound === true ? binding.approved : undefined;
  let failure = userAuthenticationFailure(requirement, token, now, tolerance);
  if (failure === undefined && binding?.bound === false) failure = [binding.code, binding.message];
  if (failure !== undefined)
    return { failure: challengeFailure(failure[0], failure[1], requirement, token, scope), approved };
  if (scope === undefined) return { failure: undefined, approved };
  const insufficient = new StepUpError('ERR_SCOPE_INSUFFICIENT', 'The access token lacks a required scope', {
    details: { scope },
  });
  return { failure: insufficient, approved };
}

/**
 * Checks a verified token against a requirement. Pure: returns the failure, or `undefined` when met.
 * The order of checks and the challenges are those of `assessRequirement`.
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
  return assessRequirement(requirement, token, now, tolerance).failure;
}
