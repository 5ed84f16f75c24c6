/**
 * Every code an `MdsError` can carry. Stable: match on these, never on message text.
 *
 * - `ERR_CONFIG_INVALID`: bad options (thrown at construction, so a process fails at boot).
 * - `ERR_BLOB_TOO_LARGE`: the BLOB is larger than `maxBytes`.
 * - `ERR_BLOB_MALFORMED`: not a compact JWS, no usable `x5c`, an algorithm outside the allow-list.
 * - `ERR_BLOB_CHAIN_UNTRUSTED`: the `x5c` chain does not reach a pinned root, or a certificate is
 *   outside its validity period (`reason` says which).
 * - `ERR_BLOB_CERT_REVOKED`: a CRL lists a certificate of the chain.
 * - `ERR_REVOCATION_UNAVAILABLE`: no valid CRL could be obtained for a certificate (fail-closed).
 * - `ERR_BLOB_SIGNATURE_INVALID`: the JWS signature does not verify with the leaf certificate's key.
 * - `ERR_BLOB_PAYLOAD_INVALID`: the signed payload is not JSON or lacks what this package relies on.
 * - `ERR_BLOB_ROLLBACK`: the BLOB `no` is not greater than the last accepted one.
 * - `ERR_FETCH_FAILED`: downloading the BLOB failed (network, HTTP status, size).
 * - `ERR_NO_SOURCE`: a refresh was asked of a store created with `source: false`.
 * - `ERR_PERSISTENCE_FAILED`: saving the adopted BLOB failed (the BLOB is still adopted in memory).
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

/** Structured facts an error may carry (all optional, all JSON-serializable). */
export interface MdsErrorData {
  /** A finer, stable sub-reason, e.g. `expired`, `untrusted_root`, `crl_unreachable`. */
  readonly reason?: string;
  /** Subject of the certificate concerned. */
  readonly subject?: string;
  /** BLOB serial number concerned (the rejected one). */
  readonly no?: number;
  /** The serial number it had to exceed. */
  readonly minNo?: number;
  /** Where in the payload validation failed (zod path). */
  readonly path?: string;
  /** The size limit that was exceeded. */
  readonly maxBytes?: number;
}

/**
 * The one error class of `@stepup/mds`. `code` is stable; `data` carries structured facts;
 * `cause` keeps the underlying error, if any.
 *
 * @example
 * ```ts
 * try { await verifyBlob(jwt) } catch (e) { if (e instanceof MdsError && e.code === 'ERR_BLOB_ROLLBACK') … }
 * ```
 */
export class MdsError extends Error {
  override readonly name = 'MdsError';
  readonly code: MdsErrorCode;
  readonly data: MdsErrorData;

  constructor(code: MdsErrorCode, message: string, data: MdsErrorData = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.data = data;
  }
}

/** `true` when `value` is an `MdsError`, optionally with the given code. */
export function isMdsError(value: unknown, code?: MdsErrorCode): value is MdsError {
  return value instanceof MdsError && (code === undefined || value.code === code);
}
