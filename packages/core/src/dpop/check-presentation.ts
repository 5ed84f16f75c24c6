import { StepUpError } from '../errors.js';
import type { StepUpRequest } from '../request.js';
import type { Credentials } from '../token/bearer.js';
import type { VerifiedToken } from '../token/types.js';
import type { DpopCheck } from './dpop.js';
import type { CheckedProof } from './verify-proof.js';

/** How a request presented its access token: the scheme, the token and, for DPoP, the proof. */
export interface Presented {
  readonly scheme: Credentials['scheme'];
  readonly token: string;
  /** The `DPoP` header, for the DPoP scheme (not yet verified). */
  readonly proof: string | undefined;
}

/**
 * The token's binding, checked once the token is verified and before any policy (RFC 9449 §7.1, §7.2):
 * a sender-constrained token (`cnf`) presented as Bearer is refused, whether DPoP is configured or not;
 * for the DPoP scheme, the token must be DPoP-bound and its proof pass every check but the first use of
 * its `jti` (`DpopCheck.check`; the engine records the `jti` last).
 *
 * @returns the checked proof (DPoP scheme), or `undefined` (Bearer)
 * @throws StepUpError `ERR_TOKEN_BOUND` and the errors of `DpopCheck.check`
 */
export function checkPresentation(
  dpop: DpopCheck | undefined,
  token: VerifiedToken,
  presented: Presented,
  request: StepUpRequest,
): CheckedProof | undefined {
  if (presented.scheme === 'bearer') {
    if (token.confirmation === undefined) return undefined;
    throw new StepUpError(
      'ERR_TOKEN_BOUND',
      'The access token is sender-constrained: present it with its proof, not as a Bearer token',
    );
  }
  // The DPoP scheme is read only when `dpop` is configured (`extractCredentials`), always with a proof.
  return dpop!.check(presented.proof!, presented.token, token, request);
}
