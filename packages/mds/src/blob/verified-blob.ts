import type { RevocationStatus } from '../pki/revocation.js';
import type { BlobPayload, MetadataEntry, SkippedEntry } from './schema.js';

/** One certificate of the BLOB's signing chain, as verified. */
export interface BlobCertificate {
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notAfter: string;
  /** `not_checked` for the pinned root itself and for a persisted BLOB re-read at start. */
  readonly revocation: RevocationStatus;
}

/**
 * A BLOB whose chain, signature, revocation and payload were verified, indexed for O(1) lookups.
 * Entries are the validated payload entries (unknown fields kept). Treat them as read-only.
 */
export interface VerifiedBlob {
  /** BLOB serial number (`no`). */
  readonly no: number;
  /** `YYYY-MM-DD`: the date by which FIDO promises the next BLOB. */
  readonly nextUpdate: string;
  /** The legal header FIDO requires relying parties to keep and honour. */
  readonly legalHeader: string;
  readonly entries: readonly MetadataEntry[];
  /** Entries that did not validate: not in `entries` nor in the lookups. The classification still
   * refuses `high` to a model listed here, and rejects it when its readable status reports say so. */
  readonly skippedEntries: readonly SkippedEntry[];
  /** The signing chain, leaf first, ending with the pinned root. */
  readonly certificates: readonly BlobCertificate[];
  /** The AAGUID's entry (any case, with or without dashes). */
  lookupAaguid(aaguid: string): MetadataEntry | undefined;
  /** The UAF AAID's entry (`VVVV#MMMM`, any case). */
  lookupAaid(aaid: string): MetadataEntry | undefined;
  /** The entry listing this attestation certificate key identifier (hex, any case). */
  lookupKeyId(hex: string): MetadataEntry | undefined;
}

const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX32 = /^[0-9a-f]{32}$/;

/** Canonical AAGUID form: lowercase with dashes, or `undefined` when not an AAGUID. */
export function normalizeAaguid(aaguid: string): string | undefined {
  const lower = aaguid.toLowerCase();
  if (lower.length === 36) return CANONICAL.test(lower) ? lower : undefined;
  if (lower.length !== 32 || !HEX32.test(lower)) return undefined;
  return `${lower.slice(0, 8)}-${lower.slice(8, 12)}-${lower.slice(12, 16)}-${lower.slice(16, 20)}-${lower.slice(20)}`;
}

/**
 * Builds the lookup maps once. When an identifier appears in several entries the first wins
 * (the MDS spec makes identifiers unique; this keeps lookups deterministic if it is not).
 */
export function createVerifiedBlob(
  payload: BlobPayload,
  certificates: readonly BlobCertificate[],
): VerifiedBlob {
  const byAaguid = new Map<string, MetadataEntry>();
  const byAaid = new Map<string, MetadataEntry>();
  const byKeyId = new Map<string, MetadataEntry>();
  for (const entry of payload.entries) {
    if (entry.aaguid) setOnce(byAaguid, entry.aaguid.toLowerCase(), entry);
    if (entry.aaid) setOnce(byAaid, entry.aaid.toUpperCase(), entry);
    for (const id of entry.attestationCertificateKeyIdentifiers ?? [])
      setOnce(byKeyId, id.toLowerCase(), entry);
  }
  return Object.freeze({
    no: payload.no,
    nextUpdate: payload.nextUpdate,
    legalHeader: payload.legalHeader,
    entries: payload.entries,
    skippedEntries: payload.skippedEntries,
    certificates,
    lookupAaguid(aaguid: string) {
      const hit = byAaguid.get(aaguid);
      if (hit) return hit;
      const key = normalizeAaguid(aaguid);
      return key === undefined ? undefined : byAaguid.get(key);
    },
    lookupAaid(aaid: string) {
      return byAaid.get(aaid) ?? byAaid.get(aaid.toUpperCase());
    },
    lookupKeyId(hex: string) {
      return byKeyId.get(hex) ?? byKeyId.get(hex.toLowerCase());
    },
  });
}

function setOnce<V>(map: Map<string, V>, key: string, value: V): void {
  if (!map.has(key)) map.set(key, value);
}
