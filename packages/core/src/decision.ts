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
  /**
   * Response headers for the allowed request (lower-case names), when there are any: a new
   * `dpop-nonce` for a DPoP client whose nonce is about to expire (RFC 9449 §9). Adapters set them.
   */
  readonly headers?: Readonly<Record<string, string>>;
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
  headers?: Readonly<Record<string, string>>,
): StepUpGrant {
  const granted: StepUpGrant =
    token.level === undefined
      ? { allowed: true, operation, token, requirement }
      : { allowed: true, operation, token, requirement, level: token.level };
  return headers === undefined ? granted : { ...granted, headers: Object.freeze({ ...headers }) };
}

export function deny(operation: string, error: StepUpError): StepUpDenial {
  return { allowed: false, operation, error };
}
