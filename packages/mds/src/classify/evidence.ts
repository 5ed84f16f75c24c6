import { z } from 'zod';

/** Every reason code a classification can carry. Stable: store and match on these. */
export const REASON_CODES = [
  // rejected
  'flags_invalid',
  'aaguid_denied',
  'aaguid_not_allowed',
  'status_revoked',
  'status_user_verification_bypass',
  'status_attestation_key_compromise',
  'status_user_key_remote_compromise',
  'status_user_key_physical_compromise',
  // low
  'user_not_verified',
  'unattested_not_accepted',
  // medium
  'backup_eligible',
  'attestation_none',
  'attestation_self',
  'attestation_unsupported_format',
  'attestation_chain_failed',
  'metadata_unavailable',
  'metadata_not_found',
  'metadata_no_roots',
  'metadata_entry_invalid',
  'certification_insufficient',
  'key_protection_insufficient',
  // high
  'device_bound',
  'user_verified',
  'attestation_verified',
  'certified',
  'hardware_key_protection',
  // informational
  'update_available',
  'local_statement_ignored',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

const classSchema = z.enum(['rejected', 'high', 'medium', 'low']);
const flagsSchema = z.object({ up: z.boolean(), uv: z.boolean(), be: z.boolean(), bs: z.boolean() });

const attestationV1 = z.object({
  /** What the statement carried: nothing (`none`), a self signature, an `x5c` chain, or a format
   * whose chain this package does not check (`android-safetynet`). */
  kind: z.enum(['none', 'self', 'x5c', 'unsupported']),
  /** Whether `x5c` chained to the entry's `attestationRootCertificates`. */
  chain: z.enum(['verified', 'failed', 'not_checked']),
  /** Why `failed` (a chain failure) or `not_checked` (a `metadata_*` reason). */
  detail: z.string().optional(),
  match: z.enum(['issued_by', 'identical']).optional(),
});

const metadataV1 = z.object({
  blobNo: z.number().int().optional(),
  found: z.boolean(),
  lookup: z.enum(['aaguid', 'key_id']).optional(),
  description: z.string().optional(),
  status: z.string().optional(),
  effectiveDate: z.string().optional(),
  certificationLevel: z.string().optional(),
  keyProtection: z.array(z.string()).optional(),
  updateAvailable: z.boolean().optional(),
});

const common = {
  /** The class this evidence led to, and why (so `reevaluate` knows the "before"). */
  class: classSchema,
  reasons: z.array(z.enum(REASON_CODES)),
  fmt: z.string(),
  aaguid: z.string(),
  attestationKeyId: z.string().optional(),
  flags: flagsSchema,
  classifiedAt: z.string(),
};

/** Evidence written before `reevaluate` re-verified chains: read, never written. */
export const evidenceV1Schema = z.object({
  version: z.literal(1),
  ...common,
  attestation: attestationV1,
  metadata: metadataV1,
});

/** Evidence version 2: everything needed to run the classification again. */
export const evidenceV2Schema = z.object({
  version: z.literal(2),
  ...common,
  /** The device's firmware version, when it was given at registration. */
  authenticatorVersion: z.number().int().nonnegative().optional(),
  attestation: attestationV1.extend({
    /** The attestation chain, leaf first, standard base64 DER. Absent for `none`, `self` and
     * `unsupported`, and for evidence converted from version 1 (whose chain result is carried). */
    x5c: z.array(z.string()).optional(),
  }),
  metadata: metadataV1.extend({
    /** Which source rated the key: the BLOB, or a local statement. */
    source: z.enum(['blob', 'local']).optional(),
    /** The BLOB lists the model in an entry that did not validate. */
    skipped: z.boolean().optional(),
  }),
  /** When the attestation was made (the first classification): chains are re-verified at that time. */
  registeredAt: z.string(),
});

/** Validates stored evidence (`reevaluate` input): version 2, or version 1. */
export const evidenceSchema = z.discriminatedUnion('version', [evidenceV2Schema, evidenceV1Schema]);

/**
 * What a classification rests on, plain JSON (version 2): keep it with the credential and pass it to
 * `reevaluate` when a new BLOB or new local statements arrive.
 */
export type ClassificationEvidence = z.infer<typeof evidenceV2Schema>;

/** Evidence of the previous format, still accepted by `reevaluate`. */
export type ClassificationEvidenceV1 = z.infer<typeof evidenceV1Schema>;

/** The assurance class (REFERENCE §5). */
export type AssuranceClass = z.infer<typeof classSchema>;

/** The result of `classifyRegistration`. */
export interface Classification {
  readonly class: AssuranceClass;
  readonly reasons: ReasonCode[];
  readonly evidence: ClassificationEvidence;
}
