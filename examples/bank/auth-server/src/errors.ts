/** Stable codes of {@link AuthServerError}. */
export type AuthServerErrorCode =
  | 'ERR_CONFIG'
  | 'ERR_INTERNAL'
  | 'ERR_UNAVAILABLE'
  | 'ERR_BAD_REQUEST'
  | 'ERR_UNSUPPORTED_MEDIA_TYPE'
  | 'ERR_PAYLOAD_TOO_LARGE'
  | 'ERR_RATE_LIMITED'
  | 'ERR_INTERACTION_NOT_FOUND'
  | 'ERR_CHALLENGE_MISSING'
  | 'ERR_CHALLENGE_EXPIRED'
  | 'ERR_WEBAUTHN_INVALID'
  | 'ERR_CREDENTIAL_UNKNOWN'
  | 'ERR_CREDENTIAL_EXISTS'
  | 'ERR_COUNTER_REGRESSED'
  | 'ERR_CREDENTIAL_TOO_WEAK'
  | 'ERR_CREDENTIAL_PENDING'
  | 'ERR_STEP_UP_REQUIRED'
  | 'ERR_CREDENTIAL_DISABLED'
  | 'ERR_AUTHENTICATOR_REFUSED'
  | 'ERR_REAUTH_REQUIRED'
  | 'ERR_LAST_CREDENTIAL'
  | 'ERR_NOT_FOUND'
  | 'ERR_OTP_INVALID'
  | 'ERR_OTP_REPLAYED'
  | 'ERR_OTP_LOCKED'
  | 'ERR_OTP_MISSING'
  | 'ERR_OTP_PENDING'
  | 'ERR_OTP_EXISTS'
  | 'ERR_WRONG_STEP';

const WIRE: Record<AuthServerErrorCode, { status: number; error: string }> = {
  ERR_CONFIG: { status: 500, error: 'server_error' },
  ERR_INTERNAL: { status: 500, error: 'server_error' },
  ERR_UNAVAILABLE: { status: 503, error: 'temporarily_unavailable' },
  ERR_BAD_REQUEST: { status: 400, error: 'invalid_request' },
  ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, error: 'unsupported_media_type' },
  ERR_PAYLOAD_TOO_LARGE: { status: 413, error: 'payload_too_large' },
  ERR_RATE_LIMITED: { status: 429, error: 'rate_limited' },
  ERR_INTERACTION_NOT_FOUND: { status: 400, error: 'interaction_expired' },
  ERR_CHALLENGE_MISSING: { status: 400, error: 'challenge_missing' },
  ERR_CHALLENGE_EXPIRED: { status: 400, error: 'challenge_expired' },
  ERR_WEBAUTHN_INVALID: { status: 400, error: 'invalid_webauthn_response' },
  ERR_CREDENTIAL_UNKNOWN: { status: 401, error: 'unknown_credential' },
  ERR_CREDENTIAL_EXISTS: { status: 409, error: 'credential_exists' },
  ERR_COUNTER_REGRESSED: { status: 401, error: 'counter_regressed' },
  ERR_CREDENTIAL_TOO_WEAK: { status: 403, error: 'credential_too_weak' },
  ERR_CREDENTIAL_PENDING: { status: 403, error: 'credential_pending' },
  ERR_STEP_UP_REQUIRED: { status: 403, error: 'step_up_required' },
  ERR_CREDENTIAL_DISABLED: { status: 403, error: 'credential_disabled' },
  ERR_AUTHENTICATOR_REFUSED: { status: 403, error: 'authenticator_refused' },
  ERR_REAUTH_REQUIRED: { status: 401, error: 'reauthentication_required' },
  ERR_LAST_CREDENTIAL: { status: 409, error: 'last_credential' },
  ERR_NOT_FOUND: { status: 404, error: 'not_found' },
  ERR_OTP_INVALID: { status: 400, error: 'invalid_code' },
  ERR_OTP_REPLAYED: { status: 400, error: 'code_used' },
  ERR_OTP_LOCKED: { status: 429, error: 'too_many_codes' },
  ERR_OTP_MISSING: { status: 403, error: 'second_factor_missing' },
  ERR_OTP_PENDING: { status: 403, error: 'second_factor_pending' },
  ERR_OTP_EXISTS: { status: 409, error: 'second_factor_exists' },
  ERR_WRONG_STEP: { status: 409, error: 'wrong_step' },
};

/**
 * The one error class of the authorization server. `code` is stable (tests and logs use it); `status`
 * and `error` are what the JSON endpoints answer; `message` is written for the customer and never
 * carries internal detail (that goes in `cause`, which is logged, never sent).
 */
export class AuthServerError extends Error {
  override readonly name = 'AuthServerError';
  readonly code: AuthServerErrorCode;
  readonly status: number;
  readonly error: string;
  /** Seconds to send in `Retry-After` (429s that know when they end). */
  readonly retryAfter: number | undefined;

  constructor(
    code: AuthServerErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfter?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = WIRE[code].status;
    this.error = WIRE[code].error;
    this.retryAfter = options?.retryAfter;
  }
}
