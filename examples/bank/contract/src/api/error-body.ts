import { z } from 'zod';

/** A stable error code: `ERR_` and upper-case words, e.g. `ERR_INSUFFICIENT_FUNDS`, `ERR_ACR_INSUFFICIENT`. */
export const ErrorCode = z.string().regex(/^ERR_[A-Z0-9]+(?:_[A-Z0-9]+)*$/);

/** One invalid field of a request: its dotted path and what is wrong with it. */
export const ErrorDetail = z.strictObject({ path: z.string(), message: z.string() });

/**
 * The one JSON error body of the bank's JSON endpoints.
 *
 * - `code` (always): the stable code to match on; `message` (always): a sentence safe to show a customer,
 *   never internal details;
 * - `details` (validation errors): one `{ path, message }` per invalid field;
 * - authorization failures also carry the RFC 6750 §3 / RFC 9470 §3 fields of the `WWW-Authenticate`
 *   challenge they come with: `error` (the wire error, e.g. `insufficient_user_authentication`),
 *   `error_description`, `acr_values` (space-separated), `max_age` (seconds), `scope` (space-separated).
 *
 * Nothing else: the schema is strict, so a handler that adds a field fails the tests that read it.
 */
export const ErrorBody = z.strictObject({
  code: ErrorCode,
  message: z.string().min(1),
  details: z.array(ErrorDetail).optional(),
  error: z
    .string()
    .regex(/^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/)
    .optional(),
  error_description: z.string().optional(),
  acr_values: z.string().optional(),
  max_age: z.number().int().nonnegative().optional(),
  scope: z.string().optional(),
});
export type ErrorBody = z.output<typeof ErrorBody>;
