import { z } from 'zod';

const AAGUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /^(?:[0-9a-f]{2})+$/i;

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
  aaguid: z.string().regex(AAGUID).optional(),
  attestationCertificateKeyIdentifiers: z.array(z.string().regex(HEX)).optional(),
  metadataStatement: metadataStatementSchema.optional(),
  statusReports: z.array(statusReportSchema),
  timeOfLastStatusChange: z.string().optional(),
});

/** The BLOB payload (FIDO MDS3 §3.1.6). Lenient to unknown fields, strict on these. */
export const blobPayloadSchema = z.looseObject({
  legalHeader: z.string(),
  no: z.number().int().nonnegative(),
  nextUpdate: z.iso.date(),
  entries: z.array(metadataEntrySchema),
});

export type StatusReport = z.infer<typeof statusReportSchema>;
export type MetadataStatement = z.infer<typeof metadataStatementSchema>;
export type MetadataEntry = z.infer<typeof metadataEntrySchema>;
export type BlobPayload = z.infer<typeof blobPayloadSchema>;
