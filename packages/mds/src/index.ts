export { FIDO_MDS_ROOT_PEM, FIDO_MDS_SIGNER_COMMON_NAME } from './blob/roots.js';
export type {
  BlobPayload,
  MetadataEntry,
  MetadataStatement,
  SkippedEntry,
  StatusReport,
} from './blob/schema.js';
export { type BlobCertificate, normalizeAaguid, type VerifiedBlob } from './blob/verified-blob.js';
export { type VerifyBlobOptions, verifyBlob } from './blob/verify-blob.js';
export type { AuthenticatorFlags, ClassifyInput, RegistrationInfo } from './classify/attestation.js';
export { classifyRegistration } from './classify/classify-registration.js';
export {
  type AssuranceClass,
  type Classification,
  type ClassificationEvidence,
  type ClassificationEvidenceV1,
  REASON_CODES,
  type ReasonCode,
} from './classify/evidence.js';
export type { LocalStatement, LocalStatementInput } from './classify/local-statements.js';
export type { ClassifyOptions } from './classify/options.js';
export { type ClassificationPolicy, validatePolicy } from './classify/policy.js';
export { type ReevaluationResult, reevaluate } from './classify/reevaluate.js';
export {
  isMdsError,
  type MdsConfigIssue,
  MdsError,
  type MdsErrorCode,
  type MdsErrorDetails,
} from './errors.js';
export type { RevocationStatus } from './pki/revocation.js';
export {
  type EvaluateStatusOptions,
  evaluateStatus,
  type StatusEvaluation,
} from './status/evaluate-status.js';
export {
  AUTHENTICATOR_STATUSES,
  type AuthenticatorStatus,
  CERTIFICATION_LEVELS,
  CERTIFICATION_STATUSES,
  type CertificationLevel,
  type CertificationStatus,
  certificationRank,
} from './status/statuses.js';
export { type BlobSummary, type SummarizeBlobOptions, summarizeBlob } from './status/summarize.js';
export { createMetadataStore } from './store/create-store.js';
export { fileBlobPersistence } from './store/file-persistence.js';
export { FIDO_MDS_URL, type MetadataStoreOptions } from './store/options.js';
export type { BlobPersistence, MetadataStore, RefreshEvent, Scheduler, StoreStatus } from './store/types.js';
