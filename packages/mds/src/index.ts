export { FIDO_MDS_ROOT_PEM } from './blob/roots.js';
export type { BlobPayload, MetadataEntry, MetadataStatement, StatusReport } from './blob/schema.js';
export { type BlobCertificate, normalizeAaguid, type VerifiedBlob } from './blob/verified-blob.js';
export { type VerifyBlobOptions, verifyBlob } from './blob/verify-blob.js';
export type { AuthenticatorFlags, ClassifyInput, RegistrationInfo } from './classify/attestation.js';
export { type ClassifyOptions, classifyRegistration } from './classify/classify-registration.js';
export {
  type AssuranceClass,
  type Classification,
  type ClassificationEvidence,
  REASON_CODES,
  type ReasonCode,
} from './classify/evidence.js';
export type { ClassificationPolicy } from './classify/policy.js';
export { type ReevaluationChange, reevaluate } from './classify/reevaluate.js';
export { isMdsError, MdsError, type MdsErrorCode, type MdsErrorData } from './errors.js';
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
export { type BlobSummary, summarizeBlob } from './status/summarize.js';
export { createMetadataStore } from './store/create-store.js';
export { fileBlobPersistence } from './store/file-persistence.js';
export { FIDO_MDS_URL, type MetadataStoreOptions } from './store/options.js';
export type { BlobPersistence, MetadataStore, RefreshEvent, Scheduler, StoreStatus } from './store/types.js';
