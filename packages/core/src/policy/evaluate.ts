import type { IssuerRules } from '../assurance/issuer-rules.js';
import { StepUpError, type StepUpErrorCode, type StepUpErrorDetails } from '../errors.js';
import type { VerifiedToken } from '../token/types.js';
import type { ResolvedRequirement } from './requirement.js';

type Failure = [StepUpErrorCode, string];

const ACR_MISSING: Failure = [
  'ERR_ACR_MISSING',
  'The access token does not state how the user authenticated',
];
const insufficient = (level: string | undefined): Failure => [
  'ERR_ACR_INSUFFICIENT',
  level === undefined
    ? 'A stronger authentication is required'
    : `A stronger authentication is required (level ${level})`,
];

/** What a requirement's level or acr set asks of a token, and what a client is told to ask for. */
interface LevelCheck {
  readonly failure?: Failure;
  readonly acrValues?: readonly string[];
  /** A scope that stands for the level (issuers that grant a scope after step-up: Auth0). */
  readonly scope?: string;
}

/** The level check by the token's issuer's rules; a `{ acr: [...] }` set always reads the `acr` claim. */
function checkLevel(
  requirement: ResolvedRequirement,
  token: VerifiedToken,
  rules: IssuerRules | undefined,
): LevelCheck {
  const { level, accepted } = requirement;
  if (rules === undefined || level === undefined) {
    if (accepted === undefined) return {};
    const acrValues = requirement.acrValues;
    if (token.acr === undefined) return { failure: ACR_MISSING, acrValues };
    return accepted.has(token.acr) ? { acrValues } : { failure: insufficient(level), acrValues };
  }
  const values = rules.challengeValues(level);
  if (rules.reaches(token.level, level)) return rules.source === 'scope' ? {} : { acrValues: values };
  if (rules.source === 'scope')
    return values[0] === undefined ? { failure: insufficient(level) } : { scope: values[0] };
  const acrValues = rules.source === 'acr' || rules.source === 'acrs' ? values : undefined;
  const stated = rules.evidence(token.claims, token.scopes) !== undefined;
  const failure = stated ? insufficient(level) : ACR_MISSING;
  return acrValues === undefined || acrValues.length === 0 ? { failure } : { failure, acrValues };
}

/**
 * Checks a verified token against a requirement. Pure: returns the failure, or `undefined` when met.
 *
 * Order: user authentication (acr, auth_time, amr) first, then scope. A token that fails both gets the
 * step-up challenge with the missing `scope` added (RFC 9470 §3 allows it), so the client fixes both in
 * one round trip; a token that only lacks scope gets 403 `insufficient_scope` (RFC 6750 §3.1).
 * A missing `acr` or `auth_time` is insufficient, never a pass and never `invalid_token`.
 *
 * With `rules` (the engine always passes the token's issuer's), a named level is judged by that issuer's
 * evidence (`acr`, `acrs`, `amr` or a scope) and values, `maxAge` by its freshness time
 * (`token.authenticatedAt`), and the challenge names that issuer's values; a level proven by a scope
 * that is missing becomes a missing scope. Without `rules`: `acr` against `levels`, and `auth_time`.
 *
 * @param now seconds since the epoch
 * @param tolerance clock tolerance in seconds, applied to `auth_time`
 */
export function evaluateRequirement(
  requirement: ResolvedRequirement,
  token: VerifiedToken,
  now: number,
  tolerance: number,
  rules?: IssuerRules,
): StepUpError | undefined {
  const check = checkLevel(requirement, token, rules);
  const missingScope = (requirement.scope ?? []).filter((s) => !token.scopes.has(s));
  if (check.scope !== undefined && !missingScope.includes(check.scope)) missingScope.push(check.scope);
  let failure = check.failure;
  const { maxAge, amr } = requirement;
  const authTime = rules === undefined ? token.authTime : token.authenticatedAt;
  if (failure === undefined && maxAge !== undefined) {
    if (authTime === undefined)
      failure = ['ERR_AUTH_TIME_MISSING', 'The access token does not state when the user authenticated'];
    else if (now - authTime > maxAge + tolerance)
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
  const scope = missingScope.length > 0 ? missingScope : undefined;
  if (failure === undefined) {
    if (scope === undefined) return undefined;
    return new StepUpError('ERR_SCOPE_INSUFFICIENT', 'The access token lacks a required scope', {
      details: { scope },
    });
  }
  const details: { -readonly [K in keyof StepUpErrorDetails]: StepUpErrorDetails[K] } = {};
  if (check.acrValues !== undefined) details.acrValues = check.acrValues;
  if (maxAge !== undefined) details.maxAge = maxAge;
  if (scope !== undefined) details.scope = scope;
  if (amr !== undefined) details.amr = amr;
  if (requirement.level !== undefined) details.level = requirement.level;
  if (token.acr !== undefined) details.tokenAcr = token.acr;
  if (authTime !== undefined) details.authTime = authTime;
  return new StepUpError(failure[0], failure[1], { details });
}
