import { MdsError } from '../errors.js';
import { type BlobPayload, blobPayloadSchema } from './schema.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes and validates the signed payload (UTF-8 JSON, FIDO MDS3 §3.1.6). */
export function parseBlobPayload(bytes: Uint8Array): BlobPayload {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(bytes));
  } catch (cause) {
    throw new MdsError(
      'ERR_BLOB_PAYLOAD_INVALID',
      'BLOB payload is not JSON',
      { reason: 'not_json' },
      { cause },
    );
  }
  const parsed = blobPayloadSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw new MdsError(
      'ERR_BLOB_PAYLOAD_INVALID',
      `BLOB payload is invalid at ${path || '(root)'}: ${issue?.message ?? 'unknown'}`,
      { reason: 'schema', path },
      { cause: parsed.error },
    );
  }
  return parsed.data;
}
