import type { Challenge } from './challenge/types.js';
import type { AuthorizationDetail } from './transaction/schema.js';

/**
 * Every code a stepup error can carry. Stable: match on these, never on message text.
 * The library code (`ERR_ACR_INSUFFICIENT`) is distinct from the OAuth wire error
 * (`insufficient_user_authentication`) sent in `WWW-Authenticate`.
 */
export type StepUpErrorCode =
  | 'ERR_TOKEN_MISSING'
  | 'ERR_REQUEST_MALFORMED'
  | 'ERR_TOKEN_MALFORMED'
  | 'ERR_TOKEN_TOO_LARGE'
  | 'ERR_TOKEN_ALGORITHM'
  | 'ERR_TOKEN_TYPE'
  | 'ERR_TOKEN_CRIT'
  | 'ERR_TOKEN_ISSUER'
  | 'ERR_TOKEN_AUDIENCE'
  | 'ERR_TOKEN_SIGNATURE'
  | 'ERR_TOKEN_KEY_UNKNOWN'
  | 'ERR_TOKEN_EXPIRED'
  | 'ERR_TOKEN_NOT_YET_VALID'
  | 'ERR_TOKEN_CLAIMS'
  | 'ERR_TOKEN_BOUND'
  | 'ERR_TOKEN_NOT_BOUND'
  | 'ERR_DPOP_REQUIRED'
  | 'ERR_DPOP_PROOF_INVALID'
  | 'ERR_DPOP_PROOF_REPLAYED'
  | 'ERR_DPOP_NONCE_REQUIRED'
  | 'ERR_DPOP_BINDING_MISMATCH'
  | 'ERR_JWKS_UNAVAILABLE'
  | 'ERR_REPLAY_STORE_UNAVAILABLE'
  | 'ERR_SCOPE_INSUFFICIENT'
  | 'ERR_ACR_MISSING'
  | 'ERR_ACR_INSUFFICIENT'
  | 'ERR_AUTH_TIME_MISSING'
  | 'ERR_AUTH_TIME_TOO_OLD'
  | 'ERR_AMR_INSUFFICIENT'
  | 'ERR_AUTHORIZATION_DETAILS_MISSING'
  | 'ERR_AUTHORIZATION_DETAILS_MISMATCH'
  | 'ERR_AUTHORIZATION_DETAILS_USED'
  | 'ERR_CONFIG_INVALID'
  | 'ERR_OPERATION_UNKNOWN'
  | 'ERR_POLICY_INVALID'
  | 'ERR_CHALLENGE_INVALID'
  | 'ERR_CHALLENGE_MALFORMED';

/**
 * The OAuth error sent on the wire (RFC 6750 §3.1, RFC 9470 §3, RFC 9449 §7.1, §9), or none.
 * `insufficient_authorization` is the resource server's error of draft-zehavi-oauth-rar-metadata (an
 * individual draft, not yet registered): the token's approved `authorization_details` (RFC 9396) do not
 * cover the request.
 */
export type WireError =
  | 'invalid_request'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'insufficient_user_authentication'
  | 'insufficient_authorization'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce'
  | 'temporarily_unavailable'
  | 'server_error';

interface CodeInfo {
  readonly status: number;
  readonly error: WireError | undefined;
}

const invalidToken: CodeInfo = { status: 401, error: 'invalid_token' };
const insufficientAuth: CodeInfo = { status: 401, error: 'insufficient_user_authentication' };
const insufficientApproval: CodeInfo = { status: 401, error: 'insufficient_authorization' };
const serverError: CodeInfo = { status: 500, error: 'server_error' };
const invalidProof: CodeInfo = { status: 401, error: 'invalid_dpop_proof' };

/** Status and wire error for each code (REFERENCE §1; RFC 6750 §3.1; RFC 9470 §3; RFC 9449 §7.1, §9). */
export const ERROR_CODES: Readonly<Record<StepUpErrorCode, CodeInfo>> = {
  ERR_TOKEN_MISSING: { status: 401, error: undefined },
  ERR_REQUEST_MALFORMED: { status: 400, error: 'invalid_request' },
  ERR_TOKEN_MALFORMED: invalidToken,
  ERR_TOKEN_TOO_LARGE: invalidToken,
  ERR_TOKEN_ALGORITHM: invalidToken,
  ERR_TOKEN_TYPE: invalidToken,
  ERR_TOKEN_CRIT: invalidToken,
  ERR_TOKEN_ISSUER: invalidToken,
  ERR_TOKEN_AUDIENCE: invalidToken,
  ERR_TOKEN_SIGNATURE: invalidToken,
  ERR_TOKEN_KEY_UNKNOWN: invalidToken,
  ERR_TOKEN_EXPIRED: invalidToken,
  ERR_TOKEN_NOT_YET_VALID: invalidToken,
  ERR_TOKEN_CLAIMS: invalidToken,
  ERR_TOKEN_BOUND: invalidToken,
  ERR_TOKEN_NOT_BOUND: invalidToken,
  // Like a missing credential (RFC 6750 §3.1): the request has none of a scheme this resource accepts.
  ERR_DPOP_REQUIRED: { status: 401, error: undefined },
  ERR_DPOP_PROOF_INVALID: invalidProof,
  ERR_DPOP_PROOF_REPLAYED: invalidProof,
  ERR_DPOP_NONCE_REQUIRED: { status: 401, error: 'use_dpop_nonce' },
  ERR_DPOP_BINDING_MISMATCH: invalidToken,
  ERR_JWKS_UNAVAILABLE: { status: 503, error: 'temporarily_unavailable' },
  ERR_REPLAY_STORE_UNAVAILABLE: { status: 503, error: 'temporarily_unavailable' },
  ERR_SCOPE_INSUFFICIENT: { status: 403, error: 'insufficient_scope' },
  ERR_ACR_MISSING: insufficientAuth,
  ERR_ACR_INSUFFICIENT: insufficientAuth,
  ERR_AUTH_TIME_MISSING: insufficientAuth,
  ERR_AUTH_TIME_TOO_OLD: insufficientAuth,
  ERR_AMR_INSUFFICIENT: insufficientAuth,
  ERR_AUTHORIZATION_DETAILS_MISSING: insufficientApproval,
  ERR_AUTHORIZATION_DETAILS_MISMATCH: insufficientApproval,
  ERR_AUTHORIZATION_DETAILS_USED: insufficientApproval,
  ERR_CONFIG_INVALID: serverError,
  ERR_OPERATION_UNKNOWN: serverError,
  ERR_POLICY_INVALID: serverError,
  ERR_CHALLENGE_INVALID: serverError,
  // The client-side parser's code: never sent by the engine. Should it escape into a server's error
  // handler (a server parsing an upstream's challenge), it is that server's fault, hence 500.
  ERR_CHALLENGE_MALFORMED: { status: 500, error: undefined },
};

/** Structured facts about a failed decision; never contains the token itself. */
export interface StepUpErrorDetails {
  /** acr values any one of which would satisfy the operation, in order of preference. */
  readonly acrValues?: readonly string[];
  /** Seconds since `auth_time` the operation accepts. */
  readonly maxAge?: number;
  /** Scopes the operation needs. */
  readonly scope?: readonly string[];
  /** amr values the operation needs. */
  readonly amr?: readonly string[];
  /** The minimum named level, when the requirement names one. */
  readonly level?: string;
  /** The token's `acr`, when it had one. */
  readonly tokenAcr?: string;
  /** The token's `auth_time` (seconds since the epoch), when it had one. */
  readonly authTime?: number;
  /** Configuration path of an invalid option (for `ERR_CONFIG_INVALID`). */
  readonly path?: string;
  /** Operation name (for `ERR_OPERATION_UNKNOWN`, `ERR_POLICY_INVALID`). */
  readonly operation?: string;
  /** Seconds after which a retry may succeed (for `ERR_JWKS_UNAVAILABLE`: sent as `Retry-After`). */
  readonly retryAfter?: number;
  /** Every invalid field with its problem (for `ERR_CONFIG_INVALID`). */
  readonly issues?: readonly { readonly path: string; readonly message: string }[];
  /**
   * The RFC 9396 `authorization_details` to request from the authorization server, when the operation
   * is transaction-bound: what the request does, not what the token carried.
   */
  readonly authorizationDetails?: readonly AuthorizationDetail[];
  /**
   * The authentication scheme the request used (`bearer` or `dpop`), once its credentials were read:
   * the challenge of that scheme carries the error (RFC 9449 §7.1, §7.2).
   */
  readonly scheme?: 'bearer' | 'dpop';
  /** The DPoP nonce the client must put in its next proof (sent as `DPoP-Nonce`, RFC 9449 §9). */
  readonly dpopNonce?: string;
}

/** The JSON body sent with a failure: the same fields as the challenge, plus the stable `code`. */
export interface StepUpErrorBody {
  readonly error?: WireError;
  readonly error_description: string;
  readonly code: StepUpErrorCode;
  readonly acr_values?: string;
  readonly max_age?: number;
  readonly scope?: string;
  /** The `authorization_details` to request (transaction-bound operations; see the README). */
  readonly authorization_details?: readonly AuthorizationDetail[];
}

/** How an error becomes a `WWW-Authenticate` challenge (see `createStepUp` options). */
export interface ChallengeRendering {
  readonly realm?: string | undefined;
  readonly resourceMetadata?: string | undefined;
  /** Replaces the default Bearer challenge, e.g. for vendor dialects. Serialized by the one serializer. */
  readonly formatChallenge?: ((error: StepUpError) => Challenge | readonly Challenge[]) | undefined;
  /**
   * When DPoP is accepted: the proof algorithms (`algs` of the `DPoP` challenge) and whether Bearer
   * is refused altogether (then only the `DPoP` challenge is sent). RFC 9449 §7.1, §7.2.
   */
  readonly dpop?: { readonly algs: readonly string[]; readonly required: boolean } | undefined;
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** What a `StepUpError` is made of besides its code and message. */
export interface StepUpErrorOptions {
  readonly details?: StepUpErrorDetails;
  readonly cause?: unknown;
  /** The response headers of a rendered denial (lower-case names). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The one error class of `@stepup/core`. A denial the engine returns carries the HTTP `status`, the
 * response `headers` (the RFC 6750/9470 `WWW-Authenticate` challenge, `Cache-Control: no-store`,
 * `Retry-After` where it applies) and a JSON `body`, so a framework's error handler can render it as is.
 * Adapters never format headers themselves. Immutable: `headers` and `details` are fixed at construction;
 * errors thrown at configuration time, or by the parser, have no headers.
 *
 * @example
 * if (isStepUpError(err) && err.code === 'ERR_ACR_INSUFFICIENT') console.log(err.details.acrValues);
 */
export class StepUpError extends Error {
  override readonly name = 'StepUpError';
  readonly code: StepUpErrorCode;
  readonly status: number;
  readonly error: WireError | undefined;
  readonly details: StepUpErrorDetails;
  /** Response headers, lower-case names; empty for an error that is not an answer to a request. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: StepUpErrorCode, message: string, options: StepUpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const info = ERROR_CODES[code];
    this.code = code;
    this.status = info.status;
    this.error = info.error;
    this.details = Object.freeze({ ...options.details });
    this.headers = options.headers === undefined ? NO_HEADERS : Object.freeze({ ...options.headers });
  }

  /** `true` for the step-up family (`insufficient_user_authentication`). */
  get isStepUp(): boolean {
    return this.error === 'insufficient_user_authentication';
  }

  /**
   * `true` when the client must go back to the authorization server with the requirement's acr values
   * and max age: a step-up, or a transaction approval to obtain (`insufficient_authorization`).
   */
  get asksForAuthorization(): boolean {
    return this.isStepUp || this.error === 'insufficient_authorization';
  }

  /** Alias of `status`, for error handlers that read `statusCode`. */
  get statusCode(): number {
    return this.status;
  }

  /** The JSON body for the response. */
  get body(): StepUpErrorBody {
    const { acrValues, maxAge, scope, authorizationDetails } = this.details;
    const asks = this.asksForAuthorization;
    return {
      ...(this.error === undefined ? {} : { error: this.error }),
      error_description: this.message,
      code: this.code,
      ...(acrValues && asks ? { acr_values: acrValues.join(' ') } : {}),
      ...(maxAge !== undefined && asks ? { max_age: maxAge } : {}),
      ...(scope && scope.length > 0 ? { scope: scope.join(' ') } : {}),
      ...(authorizationDetails && asks ? { authorization_details: authorizationDetails } : {}),
    };
  }

  toJSON(): StepUpErrorBody {
    return this.body;
  }
}

/** Type guard that works across package copies (checks the shape, not only the prototype). */
export function isStepUpError(value: unknown): value is StepUpError {
  return (
    value instanceof StepUpError ||
    (value instanceof Error &&
      value.name === 'StepUpError' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}
