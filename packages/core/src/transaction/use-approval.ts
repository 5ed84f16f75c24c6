import type { IssuerRules } from '../assurance/issuer-rules.js';
import type { StepUpLogger } from '../audit.js';
import { isStepUpError, StepUpError } from '../errors.js';
import { challengeFailure } from '../policy/evaluate.js';
import type { ResolvedRequirement } from '../policy/requirement.js';
import type { ReplayStore } from '../stores/replay-store.js';
import type { VerifiedToken } from '../token/types.js';
import { BINDING_MESSAGES } from './check-binding.js';

/**
 * The replay-store key of an approval's use by an operation. JSON, so that no issuer, operation or
 * `jti` (any string the authorization server chose) can make two different triples share a key, as a
 * separator could (`a:b` + `c` against `a` + `b:c`). `jti` is unique per issuer (RFC 7519 §4.1.7).
 */
export function approvalKey(issuer: string, operation: string, jti: string): string {
  return JSON.stringify(['stepup/transaction', issuer, operation, jti]);
}

const unavailable = (cause: unknown) =>
  new StepUpError('ERR_REPLAY_STORE_UNAVAILABLE', 'The transaction approval cannot be checked now', {
    cause,
    // The memory store says when a slot frees up; other stores' outages have no known end.
    ...(isStepUpError(cause) && cause.details.retryAfter !== undefined
      ? { details: { retryAfter: cause.details.retryAfter } }
      : {}),
  });

/**
 * Records that `operation` used the token's approval, once: keyed by (issuer, operation, `jti`), kept
 * until the token expires (`exp` plus the clock tolerance, after which the token is refused anyway).
 * With the transaction's `idempotencyKey`, a use already recorded with the same key counts as the same
 * request again (the idempotent replay), not as a second use. Call it last, once everything else
 * passed: a refused request must not use the approval up.
 *
 * @returns `undefined` for the first use (or the replay); else the failure: a second use is
 * `ERR_AUTHORIZATION_DETAILS_USED` with the challenge for a new approval. Fails closed: a token without
 * `jti` cannot be used once (`ERR_TOKEN_CLAIMS`); a store that throws, or resolves anything but a
 * boolean, is `ERR_REPLAY_STORE_UNAVAILABLE` (503), logged with its cause, which is never sent.
 */
export async function useApproval(
  store: ReplayStore,
  operation: string,
  requirement: ResolvedRequirement,
  token: VerifiedToken,
  context: {
    readonly tolerance: number;
    readonly logger: StepUpLogger | undefined;
    /** The token's issuer's rules: the challenge for a new approval names that issuer's values. */
    readonly rules: IssuerRules | undefined;
  },
): Promise<StepUpError | undefined> {
  const { jti } = token.claims;
  if (typeof jti !== 'string' || jti === '')
    return new StepUpError(
      'ERR_TOKEN_CLAIMS',
      'The access token has no jti: its approval cannot be used once',
    );
  const key = approvalKey(token.issuer, operation, jti);
  const expiresAt = (token.expiresAt + context.tolerance) * 1000;
  let first: unknown;
  try {
    first = await store.consume(key, expiresAt, requirement.transaction?.idempotencyKey);
    if (typeof first !== 'boolean') throw new TypeError('the replay store did not answer a boolean');
  } catch (error) {
    context.logger?.warn('stepup: replay store unavailable', {
      cause: error instanceof Error ? error.message : String(error),
    });
    return unavailable(error);
  }
  if (first) return undefined;
  const code = 'ERR_AUTHORIZATION_DETAILS_USED';
  return challengeFailure(code, BINDING_MESSAGES[code], requirement, token, context.rules);
}
