import type { StepUpError } from './errors.js';
import type { ResolvedRequirement } from './policy/requirement.js';
import type { VerifiedToken } from './token/types.js';

/** An allowed decision: the verified token, the requirement it met and its named level. */
export interface StepUpGrant {
  readonly allowed: true;
  readonly operation: string;
  readonly token: VerifiedToken;
  readonly requirement: ResolvedRequirement;
  /** The named level of the token's acr, if any. */
  readonly level?: string;
}

/**
 * A denial: `error` is the complete answer (`status`, `headers` with the challenge, JSON `body`), as
 * the engine rendered it; nothing is added to it later.
 */
export interface StepUpDenial {
  readonly allowed: false;
  readonly operation: string;
  readonly error: StepUpError;
}

/** The outcome of `decide`: a pure value, discriminated by `allowed`. */
export type Decision = StepUpGrant | StepUpDenial;

export function grant(
  operation: string,
  token: VerifiedToken,
  requirement: ResolvedRequirement,
): StepUpGrant {
  return token.level === undefined
    ? { allowed: true, operation, token, requirement }
    : { allowed: true, operation, token, requirement, level: token.level };
}

export function deny(operation: string, error: StepUpError): StepUpDenial {
  return { allowed: false, operation, error };
}
