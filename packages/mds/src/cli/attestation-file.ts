import { z } from 'zod';
import { MdsError } from '../errors.js';

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const responseSchema = z.object({ response: z.object({ attestationObject: z.string().regex(BASE64URL) }) });

/**
 * An attestation object from a file: a WebAuthn registration response as JSON
 * (`response.attestationObject`), base64url text, or the raw CBOR bytes.
 */
export function readAttestationFile(bytes: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(bytes).trim();
  if (text.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new MdsError('ERR_ATTESTATION_MALFORMED', 'attestation file is not valid JSON', { cause });
    }
    const parsed = responseSchema.safeParse(json);
    if (!parsed.success) {
      throw new MdsError('ERR_ATTESTATION_MALFORMED', 'JSON has no response.attestationObject', {
        cause: parsed.error,
      });
    }
    return new Uint8Array(Buffer.from(parsed.data.response.attestationObject, 'base64url'));
  }
  if (BASE64URL.test(text)) return new Uint8Array(Buffer.from(text, 'base64url'));
  return bytes;
}
