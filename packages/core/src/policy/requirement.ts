import type { z } from 'zod';
import { StepUpError } from '../errors.js';
import { describeIssues, requirementSchema } from '../options.js';
import type { StepUpRequest } from '../request.js';
import type { VerifiedToken } from '../token/types.js';
import type { ResolvedTransaction } from '../transaction/schema.js';
import type { AssuranceLevels } from './levels.js';

const POLICY_INVALID = 'Internal error: a computed requirement is invalid';

/** What an operation needs. `level` and `acr` are exclusive; all fields are optional. */
export type Requirement = z.input<typeof requirementSchema>;

/**
 * A requirement computed per request, from the request and the already verified token. Must be pure
 * (it may run more than once per request). It may return a promise, to read what the requirement
 * depends on (a payee's IBAN and age, an account's currency); the decision then waits for it.
 */
export type RequirementFn = (context: {
  request: StepUpRequest;
  token: VerifiedToken;
}) => Requirement | Promise<Requirement>;

/** A requirement ready to evaluate: acr sets and challenge values precomputed. */
export interface ResolvedRequirement {
  readonly level?: string;
  /** acr values that satisfy it (aliases and higher levels included); absent when any acr will do. */
  readonly accepted?: ReadonlySet<string>;
  /** acr values for the challenge, in order of preference. */
  readonly acrValues?: readonly string[];
  readonly maxAge?: number;
  readonly amr?: readonly string[];
  readonly scope?: readonly string[];
  /** The `authorization_details` the token must carry approved, and their single use. */
  readonly transaction?: ResolvedTransaction;
}

/** A requirement as validated by its schema. */
export type StaticRequirement = z.output<typeof requirementSchema>;

/** Turns a validated requirement into its evaluable form. */
export function resolveRequirement(requirement: StaticRequirement, levels: AssuranceLevels) {
  const { level, acr, maxAge, amr, scope, transaction } = requirement;
  const resolved: {
    -readonly [K in keyof ResolvedRequirement]: ResolvedRequirement[K];
  } = {};
  if (level !== undefined) {
    resolved.level = level;
    resolved.accepted = levels.accepted(level);
    resolved.acrValues = levels.challengeValues(level);
  } else if (acr !== undefined) {
    resolved.accepted = new Set(acr);
    resolved.acrValues = acr;
  }
  if (maxAge !== undefined) resolved.maxAge = maxAge;
  if (amr !== undefined) resolved.amr = amr;
  if (scope !== undefined) resolved.scope = typeof scope === 'string' ? [scope] : scope;
  if (transaction !== undefined) resolved.transaction = transaction;
  return resolved as ResolvedRequirement;
}

/**
 * Validates and resolves a requirement computed at request time. A bad one is a programming error.
 * @throws StepUpError `ERR_POLICY_INVALID`
 */
export function resolveComputed(
  operation: string,
  value: unknown,
  levels: AssuranceLevels,
): ResolvedRequirement {
  const result = requirementSchema.safeParse(value);
  if (!result.success) {
    // The message may reach a client through a framework's default error handler: keep it generic and
    // leave the specifics (operation, field, zod issues) in `details` and `cause`, for logs.
    const { path } = describeIssues(result.error);
    throw new StepUpError('ERR_POLICY_INVALID', POLICY_INVALID, {
      details: { operation, path },
      cause: result.error,
    });
  }
  if (result.data.level !== undefined && !levels.has(result.data.level)) {
    throw new StepUpError('ERR_POLICY_INVALID', POLICY_INVALID, {
      details: { operation, path: 'level' },
      cause: new RangeError(`unknown level ${result.data.level}`),
    });
  }
  return resolveRequirement(result.data, levels);
}
