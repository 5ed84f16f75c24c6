import type { ErrorBody } from '@stepup-example/contract';

/** What every 503 answers in `Retry-After`, in seconds (the database layer's, shared with readiness). */
export { RETRY_AFTER_SECONDS } from '@stepup-example/db';

/** Every code a {@link BankApiError} can carry, with its HTTP status. */
export const BANK_ERROR_STATUS = {
  /** Bad options, thrown at start-up. */
  ERR_CONFIG: 500,
  /** The body is not JSON, or not an object. */
  ERR_BODY_MALFORMED: 400,
  /** The body is larger than the limit. */
  ERR_BODY_TOO_LARGE: 413,
  /** A field is missing or invalid; `details` lists the issues. */
  ERR_VALIDATION: 400,
  /** `POST /transfers` without an `Idempotency-Key` header. */
  ERR_IDEMPOTENCY_KEY_MISSING: 400,
  /** An `Idempotency-Key` that is not 1–255 visible ASCII characters. */
  ERR_IDEMPOTENCY_KEY_INVALID: 400,
  /** The key was already used for a different request. */
  ERR_IDEMPOTENCY_KEY_REUSED: 422,
  /** No such account among the customer's accounts. */
  ERR_ACCOUNT_NOT_FOUND: 404,
  /** No such payee among the customer's payees. */
  ERR_PAYEE_NOT_FOUND: 404,
  /** A transfer from an account to itself. */
  ERR_SAME_ACCOUNT: 422,
  /** The two accounts hold different currencies. */
  ERR_CURRENCY_MISMATCH: 422,
  /** The balance does not cover the amount: accounts never go below zero. */
  ERR_INSUFFICIENT_FUNDS: 422,
  /** The customer already has a payee with this account number. */
  ERR_PAYEE_EXISTS: 409,
  /** No such route. */
  ERR_NOT_FOUND: 404,
  /** The database kept refusing the transaction (contention); safe to retry with the same key. */
  ERR_BUSY: 503,
  /** The database cannot be reached right now (down, restarting, every connection busy); nothing was done. */
  ERR_UNAVAILABLE: 503,
  /** The database connection broke while the change was saved: it may or may not be done; retry with the same key. */
  ERR_OUTCOME_UNKNOWN: 503,
  /** Anything unexpected; the details are logged, never sent. */
  ERR_INTERNAL: 500,
} as const;

/** A stable error code of the bank API. */
export type BankErrorCode = keyof typeof BANK_ERROR_STATUS;

/**
 * The JSON body of every error the bank API answers: the contract's `ErrorBody` (step-up denials add
 * the RFC 6750/9470 fields).
 */
export type BankErrorBody = ErrorBody;

/** The bank API's one error class: a stable `code`, the HTTP `status`, a message safe to show. */
export class BankApiError extends Error {
  override readonly name = 'BankApiError';
  readonly code: BankErrorCode;
  readonly status: number;
  readonly details: BankErrorBody['details'];

  constructor(
    code: BankErrorCode,
    message: string,
    options: { details?: BankErrorBody['details']; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = BANK_ERROR_STATUS[code];
    this.details = options.details;
  }

  /** The response body: `{ code, message, details? }` (the contract's `ErrorBody`). */
  toJSON(): BankErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}
