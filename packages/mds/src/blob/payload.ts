import { MdsError } from '../errors.js';
import { describeIssues } from '../options.js';
import {
  type BlobPayload,
  blobPayloadSchema,
  type MetadataEntry,
  metadataEntrySchema,
  type SkippedEntry,
  salvagedEntrySchema,
} from './schema.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes and validates the signed payload (UTF-8 JSON, FIDO MDS3 §3.1.6). `legalHeader`, `no`,
 * `nextUpdate` and the `entries` array must be valid or the BLOB is refused; each entry is validated on
 * its own and a malformed one is skipped and reported (production data has not always followed the
 * schema, and one bad entry must not stop every other update, revocations included).
 */
export function parseBlobPayload(bytes: Uint8Array): BlobPayload {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(bytes));
  } catch (cause) {
    throw new MdsError('ERR_BLOB_PAYLOAD_INVALID', 'BLOB payload is not JSON', {
      details: { reason: 'not_json' },
      cause,
    });
  }
  const parsed = blobPayloadSchema.safeParse(json);
  if (!parsed.success) {
    const issue = describeIssues(parsed.error)[0];
    const path = issue?.path ?? '(root)';
    throw new MdsError('ERR_BLOB_PAYLOAD_INVALID', `BLOB payload is invalid at ${path}: ${issue?.message}`, {
      details: { reason: 'schema', path },
      cause: parsed.error,
    });
  }
  const { legalHeader, no, nextUpdate } = parsed.data;
  const entries: MetadataEntry[] = [];
  const skippedEntries: SkippedEntry[] = [];
  parsed.data.entries.forEach((raw, index) => {
    const entry = metadataEntrySchema.safeParse(raw);
    if (entry.success) entries.push(entry.data);
    else skippedEntries.push(skipped(raw, index, describeIssues(entry.error)[0]));
  });
  return { legalHeader, no, nextUpdate, entries, skippedEntries };
}

function skipped(
  raw: unknown,
  index: number,
  issue: { path: string; message: string } | undefined,
): SkippedEntry {
  const salvaged = salvagedEntrySchema.safeParse(raw);
  const kept = salvaged.success ? salvaged.data : {};
  const at = issue && issue.path !== '(root)' ? `.${issue.path}` : '';
  return {
    index,
    path: `entries.${index}${at}`,
    reason: issue?.message ?? 'invalid',
    ...(kept.aaguid === undefined ? {} : { aaguid: kept.aaguid.toLowerCase() }),
    ...(kept.aaid === undefined ? {} : { aaid: kept.aaid }),
    ...(kept.attestationCertificateKeyIdentifiers === undefined
      ? {}
      : {
          attestationCertificateKeyIdentifiers: kept.attestationCertificateKeyIdentifiers.map((k) =>
            k.toLowerCase(),
          ),
        }),
    ...(kept.statusReports === undefined ? {} : { statusReports: kept.statusReports }),
  };
}
