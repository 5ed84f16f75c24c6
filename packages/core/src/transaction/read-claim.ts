import type { AuthorizationDetail } from './schema.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

const isDetail = (value: unknown): value is AuthorizationDetail =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  typeof (value as { type?: unknown }).type === 'string' &&
  (value as { type: string }).type !== '';

/**
 * Reads the `authorization_details` claim of a verified JWT access token (RFC 9396 §9.1): an array of
 * objects, each with a non-empty string `type`. The values come from the token's JSON, so they are JSON.
 * Frozen, deeply: a verified token is shared by every request that presents it (the token cache), so an
 * application that changed one request's view must not change what the next request is matched against.
 *
 * @returns the details, `undefined` without the claim, or `null` when the claim is malformed.
 */
export function readAuthorizationDetails(claim: unknown): readonly AuthorizationDetail[] | undefined | null {
  if (claim === undefined) return undefined;
  if (!Array.isArray(claim) || !claim.every(isDetail)) return null;
  return deepFreeze(claim);
}
