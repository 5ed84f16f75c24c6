import type { PaymentInitiation } from '@stepup-example/contract';

/** Every code a {@link BankClientError} carries. */
export type BankClientErrorCode =
  | 'ERR_STEP_UP_REQUIRED'
  | 'ERR_SIGN_IN_REQUIRED'
  | 'ERR_API'
  | 'ERR_UNREACHABLE'
  | 'ERR_RESPONSE_INVALID';

/** The web client's errors around a call to the bank API; match on the subclass or on `code`. */
export abstract class BankClientError extends Error {
  abstract readonly code: BankClientErrorCode;
}

/** An RFC 9470 challenge: what the API needs before it will do this. */
export interface StepUpChallenge {
  /**
   * The transfer the customer must approve (RFC 9396 `authorization_details`), for an operation bound
   * to it: sent as it is in the authorization request.
   */
  readonly authorizationDetails?: readonly PaymentInitiation[];
  /** acr values any one of which the API accepts, in order of preference (may be empty). */
  readonly acrValues: readonly string[];
  /** Seconds since the last sign-in the API accepts, when it said. */
  readonly maxAge?: number;
  /** The API's error code, e.g. `ERR_ACR_INSUFFICIENT` or `ERR_AUTH_TIME_TOO_OLD`. */
  readonly code?: string;
}

/**
 * The API answered 401 `insufficient_user_authentication` (a step-up is needed) or
 * `insufficient_authorization` (an approval of this very transfer is needed, or was used already).
 */
export class StepUpRequired extends BankClientError {
  override readonly name = 'StepUpRequired';
  override readonly code = 'ERR_STEP_UP_REQUIRED';
  constructor(readonly challenge: StepUpChallenge) {
    super('a stronger or more recent sign-in is needed');
  }
}

/** The access token was refused (`invalid_token`, or no token), or the session ended: sign in again. */
export class SignInRequired extends BankClientError {
  override readonly name = 'SignInRequired';
  override readonly code = 'ERR_SIGN_IN_REQUIRED';
}

/** Any other error answer, with the API's stable code (`apiCode`) and its message, safe to show. */
export class ApiError extends BankClientError {
  override readonly name = 'ApiError';
  override readonly code = 'ERR_API';
  constructor(
    readonly status: number,
    readonly apiCode: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * No answer: the network failed before or after the request reached the bank. For a transfer that
 * means "maybe sent": only a retry with the same Idempotency-Key can tell, and never sends it twice.
 */
export class Unreachable extends BankClientError {
  override readonly name = 'Unreachable';
  override readonly code = 'ERR_UNREACHABLE';
  constructor(cause: unknown) {
    super('the bank could not be reached', { cause });
  }
}

/** A 2xx answer that is not what the contract says. */
export class ResponseInvalid extends BankClientError {
  override readonly name = 'ResponseInvalid';
  override readonly code = 'ERR_RESPONSE_INVALID';
}
