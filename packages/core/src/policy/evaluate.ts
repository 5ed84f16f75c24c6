import type { IssuerRules } from '../assurance/issuer-rules.js';
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

/** The assessment of a met requirement without a transaction: one object, not one per decision. */
const MET: Assessment = Object.freeze({ failure: undefined, approved: undefined });

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

/** The freshness time `maxAge` is judged by: the issuer's (`authenticatedAt`), else `auth_time`. */
const freshnessOf = (token: VerifiedToken, rules: IssuerRules | undefined) =>
  rules === undefined ? token.authTime : token.authenticatedAt;

/** The level (`checkLevel`), then the freshness time within `maxAge` (+ tolerance), then `amr`. */
function userAuthenticationFailure(
  requirement: ResolvedRequirement,
  token: VerifiedToken,
  level: LevelCheck,
  timing: { readonly now: number; readonly tolerance: number; readonly authTime: number | undefined },
): Failure | undefined {
  if (level.failure !== undefined) return level.failure;
  const { maxAge, amr } = requirement;
  if (maxAge !== undefined) {
    if (timing.authTime === undefined)
      return ['ERR_AUTH_TIME_MISSING', 'The access token does not state when the user authenticated'];
    if (timing.now - timing.authTime > maxAge + timing.tolerance)
      return ['ERR_AUTH_TIME_TOO_OLD', `A more recent authentication is required (within ${maxAge} seconds)`];
  }
  if (amr !== undefined) {
    const used = new Set(token.amr ?? []);
    if (!amr.every((m) => used.has(m)))
      return ['ERR_AMR_INSUFFICIENT', 'The required authentication methods were not used'];
  }
  return undefined;
}

/** The challenge details of a failure: what to ask the authorization server for, and the token's facts. */
function challenge(
  failure: Failure,
  requirement: ResolvedRequirement,
  token: VerifiedToken,
  asked: { readonly acrValues: readonly string[] | undefined; readonly scope: readonly string[] | undefined },
  authTime: number | undefined,
): StepUpError {
  const details: { -readonly [K in keyof StepUpErrorDetails]: StepUpErrorDetails[K] } = {};
  if (asked.acrValues !== undefined) details.acrValues = asked.acrValues;
  if (requirement.maxAge !== undefined) details.maxAge = requirement.maxAge;
  if (asked.scope !== undefined) details.scope = asked.scope;
  if (requirement.amr !== undefined) details.amr = requirement.amr;
  if (requirement.level !== undefined) details.level = requirement.level;
  if (requirement.transaction !== undefined)
    details.authorizationDetails = requirement.transaction.authorizationDetails;
  if (token.acr !== undefined) details.tokenAcr = token.acr;
  if (authTime !== undefined) details.authTime = authTime;
  return new StepUpError(failure[0], failure[1], { details });
}

/**
 * A failure the client can fix at the authorization server, for a token that met the requirement's
 * user authentication (a second use of its approval): the requirement's acr values (in the token's
 * issuer's vocabulary with `rules`), max age, amr, level and the `authorization_details` to request,
 * and the token's facts.
 */
export function challengeFailure(
  code: StepUpErrorCode,
  message: string,
  requirement: ResolvedRequirement,
  token: VerifiedToken,
  rules?: IssuerRules,
): StepUpError {
  const { acrValues } = checkLevel(requirement, token, rules);
  return challenge(
    [code, message],
    requirement,
    token,
    { acrValues, scope: undefined },
    freshnessOf(token, rules),
  );
}

/**
 * Checks a verified token against a requirement (pure) and says which approvals matched.
 *
 * Order: user authentication (the level, the freshness time within `maxAge`, amr), then the transaction
 * binding (the token's approved `authorization_details` against the request's), then scope. A token that
 * fails user authentication gets the step-up challenge, with the `authorization_details` to request and
 * the missing `scope` added, so the client fixes everything in one round trip; one whose only problem is
 * the binding gets `insufficient_authorization` with the acr values and max age still required; one that
 * only lacks scope gets 403 `insufficient_scope` (RFC 6750 §3.1). A missing `acr` or freshness time is
 * insufficient, never a pass. Single use is not checked here (it needs the replay store): see
 * `createStepUp`.
 *
 * With `rules` (the engine always passes the token's issuer's), a named level is judged by that issuer's
 * evidence (`acr`, `acrs`, `amr` or a scope) and values, `maxAge` by its freshness time
 * (`token.authenticatedAt`), and the challenge names that issuer's values; a level proven by a scope
 * that is missing becomes a missing scope. Without `rules`: `acr` against `levels`, and `auth_time`.
 *
 * @param now seconds since the epoch
 * @param tolerance clock tolerance in seconds, applied to the freshness time
 */
export function assessRequirement(
  requirement: ResolvedRequirement,
  token: VerifiedToken,
  now: number,
  tolerance: number,
  rules?: IssuerRules,
): Assessment {
  const level = checkLevel(requirement, token, rules);
  const missingScope = (requirement.scope ?? []).filter((s) => !token.scopes.has(s));
  if (level.scope !== undefined && !missingScope.includes(level.scope)) missingScope.push(level.scope);
  const scope = missingScope.length > 0 ? missingScope : undefined;
  const binding =
    requirement.transaction === undefined ? undefined : checkBinding(requirement.transaction, token);
  const approved = binding?.bound === true ? binding.approved : undefined;
  const authTime = freshnessOf(token, rules);
  let failure = userAuthenticationFailure(requirement, token, level, { now, tolerance, authTime });
  if (failure === undefined && binding?.bound === false) failure = [binding.code, binding.message];
  if (failure !== undefined) {
    const asked = { acrValues: level.acrValues, scope };
    return { failure: challenge(failure, requirement, token, asked, authTime), approved };
  }
  if (scope === undefined) return approved === undefined ? MET : { failure: undefined, approved };
  const lacking = new StepUpError('ERR_SCOPE_INSUFFICIENT', 'The access token lacks a required scope', {
    details: { scope },
  });
  return { failure: lacking, approved };
}

/**
 * Checks a verified token against a requirement. Pure: returns the failure, or `undefined` when met.
 * The order of checks, the challenges and the use of `rules` are those of `assessRequirement`; without
 * `rules`, `acr` is read against `levels` and `maxAge` against `auth_time`.
 *
 * @param now seconds since the epoch
 * @param tolerance clock tolerance in seconds, applied to the freshness time
 */
export function evaluateRequirement(
  requirement: ResolvedRequirement,
  token: VerifiedToken,
  now: number,
  tolerance: number,
  rules?: IssuerRules,
): StepUpError | undefined {
  return assessRequirement(requirement, token, now, tolerance, rules).failure;
}
