import { z } from 'zod';

const AAGUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /^(?:[0-9a-f]{2})+$/i;

/** An AAGUID in canonical form (with dashes, any case). */
export const aaguidSchema = z.string().regex(AAGUID, 'not an AAGUID');

/** An attestation certificate key identifier (hex). */
export const keyIdSchema = z.string().regex(HEX, 'not a hex key identifier');

/**
 * A status report (FIDO MDS3 §3.1.3). `status` stays a plain string: unknown values are kept and
 * ignored by the status evaluation, as the MDS spec asks.
 */
export const statusReportSchema = z.looseObject({
  status: z.string(),
  effectiveDate: z.iso.date().optional(),
  authenticatorVersion: z.number().int().nonnegative().optional(),
  certificate: z.string().optional(),
  url: z.string().optional(),
  certificationDescriptor: z.string().optional(),
  certificateNumber: z.string().optional(),
});

/**
 * The parts of a metadata statement (FIDO Metadata Statement §4) this package relies on; every
 * other field is kept as is.
 */
export const metadataStatementSchema = z.looseObject({
  description: z.string().optional(),
  aaguid: aaguidSchema.optional(),
  authenticatorVersion: z.number().int().nonnegative().optional(),
  protocolFamily: z.string().optional(),
  attestationTypes: z.array(z.string()).optional(),
  attestationRootCertificates: z.array(z.string()).optional(),
  keyProtection: z.array(z.string()).optional(),
  matcherProtection: z.array(z.string()).optional(),
  multiDeviceCredentialSupport: z.string().optional(),
});

/** One BLOB entry (FIDO MDS3 §3.1.1): identified by `aaguid`, `aaid` or attestation key identifiers. */
export const metadataEntrySchema = z.looseObject({
  aaid: z.string().optional(),
  aaguid: aaguidSchema.optional(),
  attestationCertificateKeyIdentifiers: z.array(keyIdSchema).optional(),
  metadataStatement: metadataStatementSchema.optional(),
  statusReports: z.array(statusReportSchema),
  timeOfLastStatusChange: z.string().optional(),
});

/**
 * What is kept of an entry that failed `metadataEntrySchema`: its identifiers and status reports, each
 * only if well-formed, so a revocation still rejects the model when only its statement is broken.
 */
export const salvagedEntrySchema = z.object({
  aaid: z.string().optional().catch(undefined),
  aaguid: aaguidSchema.optional().catch(undefined),
  attestationCertificateKeyIdentifiers: z.array(keyIdSchema).optional().catch(undefined),
  statusReports: z.array(statusReportSchema).optional().catch(undefined),
});

/**
 * The BLOB payload (FIDO MDS3 §3.1.6) without its entries, which are validated one by one. A bad field
 * here, or `entries` not being an array, refuses the BLOB.
 */
export const blobPayloadSchema = z.looseObject({
  legalHeader: z.string(),
  no: z.number().int().nonnegative(),
  nextUpdate: z.iso.date(),
  entries: z.array(z.unknown()),
});

export type StatusReport = z.infer<typeof statusReportSchema>;
export type MetadataStatement = z.infer<typeof metadataStatementSchema>;
export type MetadataEntry = z.infer<typeof metadataEntrySchema>;

/** A BLOB entry that did not validate: left out of the lookups, reported with what could be read of it. */
export interface SkippedEntry {
  /** Position in the payload's `entries`. */
  readonly index: number;
  /** Where it is invalid, e.g. `entries.12.metadataStatement.keyProtection`. */
  readonly path: string;
  /** The first problem found there. */
  readonly reason: string;
  readonly aaguid?: string;
  readonly aaid?: string;
  readonly attestationCertificateKeyIdentifiers?: readonly string[];
  /** Its status reports, when they are well-formed (so a revocation still counts). */
  readonly statusReports?: readonly StatusReport[];
}

/** The validated payload: valid entries, and the skipped ones. */
export interface BlobPayload {
  readonly legalHeader: string;
  readonly no: number;
  readonly nextUpdate: string;
  readonly entries: readonly MetadataEntry[];
  readonly skippedEntries: readonly SkippedEntry[];
}
