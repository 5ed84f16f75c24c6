import type { StepUpError } from './errors.js';
import type { ResolvedRequirement } from './policy/requirement.js';
import type { VerifiedToken } from './token/types.js';
import type { AuthorizationDetail } from './transaction/schema.js';

/** An allowed decision: the verified token, the requirement it met and its named level. */
export interface StepUpGrant {
  readonly allowed: true;
  readonly operation: string;
  readonly token: VerifiedToken;
  readonly requirement: ResolvedRequirement;
  /** The named level of the token's acr, if any. */
  readonly level?: string;
  /**
   * For a transaction-bound requirement: the token's approved `authorization_details` that matched the
   * request, one per required detail (recorded as used, unless the requirement said `once: false`).
   */
  readonly authorizationDetails?: readonly AuthorizationDetail[];
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
  approved?: readonly AuthorizationDetail[],
  headers?: Readonly<Record<string, string>>,
): StepUpGrant {
  const granted: { -readonly [K in keyof StepUpGrant]: StepUpGrant[K] } = {
    allowed: true,
    operation,
    token,
    requirement,
  };
  if (token.level !== undefined) granted.level = token.level;
  if (approved !== undefined) granted.authorizationDetails = approved;
  if (headers !== undefined) granted.headers = Object.freeze({ ...headers });
  // Frozen: a cached token's grant is answered again, the same object, to the same request (the fast
  // lane of the engine's `check`), so no caller may change what another one receives.
  return Object.freeze(granted);
}

export function deny(operation: string, error: StepUpError): StepUpDenial {
  return { allowed: false, operation, error };
}
