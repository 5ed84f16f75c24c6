import type { MetadataEntry, SkippedEntry } from '../blob/schema.js';
import type { VerifiedBlob } from '../blob/verified-blob.js';
import type { LocalIndex } from './local-statements.js';

export const ZERO_AAGUID = '00000000-0000-0000-0000-000000000000';

/** Where metadata comes from: the current BLOB and the operator's local statements. */
export interface MetadataSources {
  readonly blob: VerifiedBlob | undefined;
  readonly local: LocalIndex;
}

/** The metadata entry that rates an authenticator. */
export interface FoundEntry {
  readonly entry: MetadataEntry;
  readonly lookup: 'aaguid' | 'key_id';
  readonly source: 'blob' | 'local';
  /** The BLOB lists the model in an entry that did not validate (only its identifiers and, when
   * well-formed, its status reports are known). */
  readonly skipped: boolean;
  /** A local statement for the same AAGUID was ignored because the BLOB lists the model. */
  readonly localIgnored: boolean;
}

/**
 * Finds the entry for an authenticator: in the BLOB by AAGUID (or, for the zero AAGUID of U2F, by
 * attestation key identifier), then among the BLOB's skipped entries, then among local statements.
 * The BLOB always wins over a local statement, so a local statement can never hide a revocation or a
 * compromise the BLOB reports, nor an entry the BLOB could not read.
 */
export function findEntry(
  sources: MetadataSources,
  aaguid: string,
  keyId: string | undefined,
): FoundEntry | undefined {
  const byKeyId = aaguid === ZERO_AAGUID;
  const lookup = byKeyId ? 'key_id' : 'aaguid';
  const local = byKeyId ? undefined : sources.local.get(aaguid);
  const localIgnored = local !== undefined;
  const blob = sources.blob;
  if (blob) {
    const entry = byKeyId
      ? keyId === undefined
        ? undefined
        : blob.lookupKeyId(keyId)
      : blob.lookupAaguid(aaguid);
    if (entry) return { entry, lookup, source: 'blob', skipped: false, localIgnored };
    const skipped = blob.skippedEntries.find((s) => listsModel(s, byKeyId, aaguid, keyId));
    if (skipped) return { entry: degraded(skipped), lookup, source: 'blob', skipped: true, localIgnored };
  }
  return local ? { entry: local, lookup, source: 'local', skipped: false, localIgnored: false } : undefined;
}

function listsModel(s: SkippedEntry, byKeyId: boolean, aaguid: string, keyId: string | undefined): boolean {
  if (!byKeyId) return s.aaguid === aaguid;
  return keyId !== undefined && (s.attestationCertificateKeyIdentifiers ?? []).includes(keyId.toLowerCase());
}

/** What can be trusted of a skipped entry: its status reports, no statement (so no roots, no protection). */
function degraded(s: SkippedEntry): MetadataEntry {
  return {
    ...(s.aaguid === undefined ? {} : { aaguid: s.aaguid }),
    statusReports: [...(s.statusReports ?? [])],
  };
}
