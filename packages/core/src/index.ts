export type { IssuerRules } from './assurance/issuer-rules.js';
export type {
  AssuranceOptions,
  EntraChallengeOptions,
  EvidenceSource,
  UntypedTokens,
} from './assurance/schema.js';
export type { AuditEvent, StepUpLogger } from './audit.js';
export { entraClaimsChallenge, entraClaimsRequest } from './challenge/entra-claims-challenge.js';
export { parseChallenges } from './challenge/parse.js';
export { type ClaimsChallenge, readClaimsChallenge } from './challenge/read-claims-challenge.js';
export { readStepUpChallenge, type StepUpChallenge } from './challenge/read-step-up.js';
export {
  bearerChallenge,
  defaultChallenges,
  type RenderContext,
  renderError,
  schemeChallenges,
} from './challenge/render.js';
export {
  quote,
  sanitizeDescription,
  serializeChallenge,
  serializeChallenges,
} from './challenge/serialize.js';
export type { Challenge } from './challenge/types.js';
export type { Decision, StepUpDenial, StepUpGrant } from './decision.js';
export { DEFAULT_DPOP_ALGORITHMS, type DpopOptions } from './dpop/options.js';
export { accessTokenHash } from './dpop/verify-proof.js';
export {
  type ChallengeRendering,
  ERROR_CODES,
  isStepUpError,
  StepUpError,
  type StepUpErrorBody,
  type StepUpErrorCode,
  type StepUpErrorDetails,
  type StepUpErrorOptions,
  type WireError,
} from './errors.js';
export { FAPI2_ALGORITHMS, FAPI2_MAX_CLOCK_TOLERANCE } from './fapi/fapi2.js';
export type { ProtectedResourceMetadata, ProtectedResourceMetadataDocument } from './metadata/metadata.js';
export { type MetadataOptions, metadataUrl } from './metadata/options.js';
export {
  type Algorithm,
  ASYMMETRIC_ALGORITHMS,
  type IssuerOptions,
  type LevelOptions,
  type StepUpOptions,
} from './options.js';
export { type Assessment, assessRequirement, evaluateRequirement } from './policy/evaluate.js';
export { AssuranceLevels } from './policy/levels.js';
export type { Requirement, RequirementFn, ResolvedRequirement } from './policy/requirement.js';
export type { StepUpRequest } from './request.js';
export { createStepUp, type StepUp } from './step-up.js';
export { type Credentials, extractBearerToken, extractCredentials } from './token/bearer.js';
export type { TokenConfirmation, VerifiedToken } from './token/types.js';
export {
  matchAuthorizationDetails,
  sameDetail,
} from './transaction/match-authorization-details.js';
export type { TransactionsOptions } from './transaction/options.js';
export {
  type AuthorizationChallenge,
  readAuthorizationChallenge,
} from './transaction/read-authorization-challenge.js';
export type {
  AuthorizationDetail,
  AuthorizationDetailMatcher,
  ResolvedTransaction,
  TransactionRequirement,
} from './transaction/schema.js';
