import { isStepUpError, StepUpError } from '../errors.js';
import type { ReplayStore } from '../stores/replay-store.js';
import type { VerifiedToken } from '../token/types.js';
import type { ResolvedTransaction } from './schema.js';

/** What recording one use of a token's approval gave. */
export type ApprovalUse =
  | { readonly kind: 'first' }
  | { readonly kind: 'used' }
  | { readonly kind: 'refused'; readonly error: StepUpError };

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
 * request again (the idempotent replay), not as a second use.
 *
 * Fails closed: a token without `jti` cannot be used once (`ERR_TOKEN_CLAIMS`); a store that throws,
 * or resolves anything but a boolean, is `ERR_REPLAY_STORE_UNAVAILABLE` (503, the cause kept for logs).
 */
export async function useApproval(
  store: ReplayStore,
  token: VerifiedToken,
  operation: string,
  transaction: ResolvedTransaction,
  tolerance: number,
): Promise<ApprovalUse> {
  const { jti } = token.claims;
  if (typeof jti !== 'string' || jti === '')
    return {
      kind: 'refused',
      error: new StepUpError(
        'ERR_TOKEN_CLAIMS',
        'The access token has no jti: its approval cannot be used once',
      ),
    };
  const key = approvalKey(token.issuer, operation, jti);
  let first: unknown;
  try {
    first = await store.consume(key, (token.expiresAt + tolerance) * 1000, transaction.idempotencyKey);
  } catch (error) {
    return { kind: 'refused', error: unavailable(error) };
  }
  if (typeof first !== 'boolean')
    return {
      kind: 'refused',
      error: unavailable(new TypeError('the replay store did not answer a boolean')),
    };
  return first ? { kind: 'first' } : { kind: 'used' };
}
