import { z } from 'zod';

// Schema parts shared by the option groups (engine, DPoP, protected resource metadata).

/** Asymmetric JWS algorithms accepted in an allow-list. `none` and HMAC can never be configured. */
export const ASYMMETRIC_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
  'Ed25519',
] as const;
export type Algorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** A function-valued option. */
export const fn = <T>(what: string) =>
  z.custom<T>((value) => typeof value === 'function', { message: `${what} must be a function` });
export const printable = z
  .string()
  .min(1)
  .regex(/^[\x20-\x7e]+$/, 'must be printable ASCII');
export const spaceless = z
  .string()
  .min(1)
  .regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'must be printable ASCII without spaces, quotes or backslashes');
export const isLoopback = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
// The URL parser silently drops tabs and newlines, so the string itself is checked too: a value that
// cannot be written into a header must fail here, at boot, not as a 4xx on every request.
export const secureUrl = z
  .string()
  .regex(/^[\x21-\x7e]+$/, 'must be a URL without spaces or control characters')
  .refine(
    (value) => {
      if (!URL.canParse(value)) return false;
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
    },
    { message: 'must be an https URL (http is allowed only for localhost)' },
  );
