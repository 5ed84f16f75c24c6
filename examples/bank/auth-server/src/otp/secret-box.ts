import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AuthServerError } from '../errors.js';

/** Seals and opens short secrets (TOTP seeds) with AES-256-GCM under one server key. */
export interface SecretBox {
  /** `v1.<iv>.<ciphertext>.<tag>` (base64url), bound to `context` (the row it belongs to). */
  seal(plaintext: string, context: string): string;
  /**
   * The plaintext, when `sealed` was made by {@link SecretBox.seal} under this key for this `context`.
   * @throws AuthServerError `ERR_INTERNAL` otherwise (a wrong key, a row copied elsewhere, a change).
   */
  open(sealed: string, context: string): string;
}

const VERSION = 'v1';

/**
 * A {@link SecretBox} over `key` (32 bytes). Each seal has a fresh 96-bit IV (NIST SP 800-38D §8.2.2:
 * random IVs are safe far beyond the number of secrets a bank stores under one key) and takes `context`
 * as additional authenticated data, so a sealed secret copied to another account's row does not open.
 * node:crypto's AES-GCM, not a library: the platform's cipher is the well-kept part, and this is its
 * documented use.
 *
 * @throws AuthServerError `ERR_CONFIG` when the key is not 32 bytes.
 */
export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new AuthServerError('ERR_CONFIG', 'the secret-box key must be 32 bytes');
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url'));
      return [VERSION, ...parts].join('.');
    },
    open(sealed, context) {
      const [version, iv, body, tag, ...rest] = sealed.split('.');
      try {
        if (
          version !== VERSION ||
          iv === undefined ||
          body === undefined ||
          tag === undefined ||
          rest.length > 0
        ) {
          throw new Error('not a sealed secret');
        }
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch (cause) {
        throw new AuthServerError('ERR_INTERNAL', 'A stored secret could not be read.', { cause });
      }
    },
  };
}
