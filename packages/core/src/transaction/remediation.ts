import type { AuthorizationDetail } from './schema.js';

/**
 * The longest `authorization_remediation` value written into a challenge. Longer ones are left out of
 * the header (the JSON body always carries the details): proxies and clients commonly limit a response
 * header to 8 KiB, and one over-long header would lose the whole challenge.
 */
export const MAX_REMEDIATION_LENGTH = 4096;

/**
 * The `authorization_remediation` challenge parameter of draft-zehavi-oauth-rar-metadata: base64url
 * (no padding) of the JSON `{ "authorization_details": [...] }` the client should request, or
 * `undefined` when that would exceed `MAX_REMEDIATION_LENGTH`.
 */
export function encodeRemediation(details: readonly AuthorizationDetail[]): string | undefined {
  const value = Buffer.from(JSON.stringify({ authorization_details: details }), 'utf8').toString('base64url');
  return value.length > MAX_REMEDIATION_LENGTH ? undefined : value;
}
