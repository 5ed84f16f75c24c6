import type { StepUpErrorCode } from '../errors.js';
import type { VerifiedToken } from '../token/types.js';
import { matchAuthorizationDetails } from './match-authorization-details.js';
import type { AuthorizationDetail, ResolvedTransaction } from './schema.js';

/** The outcome of comparing a token's approvals with what the request does. */
export type Binding =
  | { readonly bound: true; readonly approved: readonly AuthorizationDetail[] }
  | { readonly bound: false; readonly code: StepUpErrorCode; readonly message: string };

export const BINDING_MESSAGES = {
  ERR_AUTHORIZATION_DETAILS_MISSING: 'The access token carries no approval for this transaction',
  ERR_AUTHORIZATION_DETAILS_MISMATCH: 'The access token was approved for another transaction',
  ERR_AUTHORIZATION_DETAILS_USED: 'The approval in this access token was already used',
} as const satisfies Partial<Record<StepUpErrorCode, string>>;

/**
 * Checks that the token's approved `authorization_details` match the transaction's (pure). A token
 * without approvals is `ERR_AUTHORIZATION_DETAILS_MISSING`; approvals that do not match (another amount,
 * currency, payee or type) are `ERR_AUTHORIZATION_DETAILS_MISMATCH`. Single use is not checked here.
 */
export function checkBinding(transaction: ResolvedTransaction, token: VerifiedToken): Binding {
  const approvals = token.authorizationDetails ?? [];
  if (approvals.length === 0) {
    const code = 'ERR_AUTHORIZATION_DETAILS_MISSING';
    return { bound: false, code, message: BINDING_MESSAGES[code] };
  }
  const approved = matchAuthorizationDetails(approvals, transaction.authorizationDetails, transaction.match);
  if (approved !== undefined) return { bound: true, approved };
  const code = 'ERR_AUTHORIZATION_DETAILS_MISMATCH';
  return { bound: false, code, message: BINDING_MESSAGES[code] };
}
