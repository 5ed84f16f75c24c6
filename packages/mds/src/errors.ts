/**
 * Every code an `MdsError` can carry. Stable: match on these, never on message text.
 *
 * - `ERR_CONFIG_INVALID`: bad options, policy or local statements (thrown at construction, so a process
 *   fails at boot); `details.issues` lists every problem.
 * - `ERR_BLOB_TOO_LARGE`: the BLOB is larger than `maxBytes`.
 * - `ERR_BLOB_MALFORMED`: not a compact JWS, no usable `x5c`, an algorithm outside the allow-list.
 * - `ERR_BLOB_CHAIN_UNTRUSTED`: the `x5c` chain does not reach a pinned root, a certificate is outside
 *   its validity period, or the signer is not the pinned one (`reason` says which).
 * - `ERR_BLOB_CERT_REVOKED`: an authentic CRL lists a certificate of the chain.
 * - `ERR_REVOCATION_UNAVAILABLE`: no valid CRL could be obtained for a certificate (fail-closed).
 * - `ERR_BLOB_SIGNATURE_INVALID`: the JWS signature does not verify with the leaf certificate's key.
 * - `ERR_BLOB_PAYLOAD_INVALID`: the signed payload is not JSON, or its header fields or `entries` array
 *   are invalid (one malformed entry is skipped instead).
 * - `ERR_BLOB_ROLLBACK`: the BLOB `no` is not greater than the last accepted one.
 * - `ERR_FETCH_FAILED`: downloading the BLOB failed (network, HTTP status).
 * - `ERR_NO_SOURCE`: a refresh was asked of a store created with `source: false`.
 * - `ERR_PERSISTENCE_FAILED`: the persisted BLOB could not be read, or an adopted one not saved.
 * - `ERR_ATTESTATION_MALFORMED`: the attestation object or registration info cannot be decoded.
 * - `ERR_EVIDENCE_INVALID`: stored evidence given to `reevaluate` does not have the expected shape.
 */
export type MdsErrorCode =
  | 'ERR_CONFIG_INVALID'
  | 'ERR_BLOB_TOO_LARGE'
  | 'ERR_BLOB_MALFORMED'
  | 'ERR_BLOB_CHAIN_UNTRUSTED'
  | 'ERR_BLOB_CERT_REVOKED'
  | 'ERR_REVOCATION_UNAVAILABLE'
  | 'ERR_BLOB_SIGNATURE_INVALID'
  | 'ERR_BLOB_PAYLOAD_INVALID'
  | 'ERR_BLOB_ROLLBACK'
  | 'ERR_FETCH_FAILED'
  | 'ERR_NO_SOURCE'
  | 'ERR_PERSISTENCE_FAILED'
  | 'ERR_ATTESTATION_MALFORMED'
  | 'ERR_EVIDENCE_INVALID';

/** One problem found while validating options (`ERR_CONFIG_INVALID`). */
export interface MdsConfigIssue {
  /** Dotted path of the option, e.g. `policy.minCertificationLevel` or `(root)`. */
  readonly path: string;
  readonly message: string;
}

/** Structured facts an error may carry (all optional, all JSON-serializable). */
export interface MdsErrorDetails {
  /** A finer, stable sub-reason, e.g. `expired`, `untrusted_root`, `crl_unreachable`. */
  readonly reason?: string;
  /** Subject of the certificate concerned. */
  readonly subject?: string;
  /** BLOB serial number concerned (the rejected one). */
  readonly no?: number;
  /** The serial number it had to exceed. */
  readonly minNo?: number;
  /** Where validation failed (the first issue's path for `ERR_CONFIG_INVALID`). */
  readonly path?: string;
  /** Every problem, for `ERR_CONFIG_INVALID`. */
  readonly issues?: readonly MdsConfigIssue[];
  /** The size limit that was exceeded. */
  readonly maxBytes?: number;
}

/**
 * The one error class of `@stepup/mds`. `code` is stable; `details` carries structured facts;
 * `cause` keeps the underlying error, if any. Same shape as `@stepup/core`'s `StepUpError`.
 *
 * @example
 * ```ts
 * try { await verifyBlob(jwt) } catch (e) { if (isMdsError(e, 'ERR_BLOB_ROLLBACK')) log(e.details.no) }
 * ```
 */
export class MdsError extends Error {
  override readonly name = 'MdsError';
  readonly code: MdsErrorCode;
  readonly details: MdsErrorDetails;

  constructor(
    code: MdsErrorCode,
    message: string,
    options: { details?: MdsErrorDetails; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}

/**
 * `true` when `value` is an `MdsError` (optionally with the given code). Checks the shape, not only
 * the prototype, so it works across duplicate copies of this package: an `Error` named `MdsError`
 * with a string `code`.
 */
export function isMdsError(value: unknown, code?: MdsErrorCode): value is MdsError {
  const shaped =
    value instanceof MdsError ||
    (value instanceof Error &&
      value.name === 'MdsError' &&
      typeof (value as { code?: unknown }).code === 'string');
  return shaped && (code === undefined || (value as MdsError).code === code);
}
