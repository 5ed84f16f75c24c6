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
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

const attestationSchema = z.object({
  /** What the statement carried: nothing (`none`), a self signature, an `x5c` chain, or a format
   * whose chain this package does not check (`android-safetynet`). */
  kind: z.enum(['none', 'self', 'x5c', 'unsupported']),
  /** Whether `x5c` chained to the entry's `attestationRootCertificates` at classification time. */
  chain: z.enum(['verified', 'failed', 'not_checked']),
  /** Why `failed` (a chain failure) or `not_checked` (a `metadata_*` reason). */
  detail: z.string().optional(),
  match: z.enum(['issued_by', 'identical']).optional(),
});

const metadataSchema = z.object({
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

/** Validates stored evidence (`reevaluate` input). */
export const evidenceSchema = z.object({
  version: z.literal(1),
  /** The class this evidence led to, and why (so `reevaluate` knows the "before"). */
  class: z.enum(['rejected', 'high', 'medium', 'low']),
  reasons: z.array(z.enum(REASON_CODES)),
  fmt: z.string(),
  aaguid: z.string(),
  attestationKeyId: z.string().optional(),
  flags: z.object({ up: z.boolean(), uv: z.boolean(), be: z.boolean(), bs: z.boolean() }),
  attestation: attestationSchema,
  metadata: metadataSchema,
  classifiedAt: z.string(),
});

/**
 * What a classification rests on, plain JSON: keep it with the credential and pass it to
 * `reevaluate` when a new BLOB arrives.
 */
export type ClassificationEvidence = z.infer<typeof evidenceSchema>;

/** The assurance class (REFERENCE §5). */
export type AssuranceClass = ClassificationEvidence['class'];

/** The result of `classifyRegistration` and `reevaluate`. */
export interface Classification {
  readonly class: AssuranceClass;
  readonly reasons: ReasonCode[];
  readonly evidence: ClassificationEvidence;
}
