import { z } from 'zod';
import type { VerifiedBlob } from '../blob/verified-blob.js';
import { clockSchema, parseOptions, systemClock } from '../options.js';
import { evaluateStatus } from './evaluate-status.js';

const schema = z.strictObject({
  /** The clock. Default: `Date.now`. */
  now: clockSchema.optional(),
});

/** Options of {@link summarizeBlob}. */
export type SummarizeBlobOptions = z.input<typeof schema>;

/** Counts over a BLOB's entries. Entries without a status or level in effect count as `NONE`. */
export interface BlobSummary {
  readonly no: number;
  readonly nextUpdate: string;
  readonly entries: number;
  readonly aaguidEntries: number;
  readonly aaidEntries: number;
  readonly keyIdEntries: number;
  /** Entries left out because they did not validate (see `VerifiedBlob.skippedEntries`). */
  readonly skippedEntries: number;
  /** Effective status (see `evaluateStatus`) → number of entries. */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Certification level in effect → number of entries. */
  readonly byCertificationLevel: Readonly<Record<string, number>>;
}

/**
 * Counts a BLOB's entries by identifier kind, effective status and certification level at `now`
 * (`evaluateStatus` with no device version: a compromise counts until an update is known to apply).
 *
 * @example
 * ```ts
 * summarizeBlob(blob, { now: Date.now }).byStatus.REVOKED ?? 0
 * ```
 */
export function summarizeBlob(blob: VerifiedBlob, options: SummarizeBlobOptions = {}): BlobSummary {
  const now = parseOptions(schema, options, 'summarizeBlob').now ?? systemClock;
  const byStatus: Record<string, number> = {};
  const byCertificationLevel: Record<string, number> = {};
  let aaguidEntries = 0;
  let aaidEntries = 0;
  let keyIdEntries = 0;
  for (const entry of blob.entries) {
    if (entry.aaguid) aaguidEntries++;
    if (entry.aaid) aaidEntries++;
    if (entry.attestationCertificateKeyIdentifiers?.length) keyIdEntries++;
    const evaluation = evaluateStatus(entry, { now });
    increment(byStatus, evaluation.status ?? 'NONE');
    increment(byCertificationLevel, evaluation.certificationLevel ?? 'NONE');
  }
  return {
    no: blob.no,
    nextUpdate: blob.nextUpdate,
    entries: blob.entries.length,
    aaguidEntries,
    aaidEntries,
    keyIdEntries,
    skippedEntries: blob.skippedEntries.length,
    byStatus,
    byCertificationLevel,
  };
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
