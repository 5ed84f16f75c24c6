import type { MetadataEntry } from '../blob/schema.js';
import type { VerifiedBlob } from '../blob/verified-blob.js';
import { evaluateStatus, type StatusEvaluation } from '../status/evaluate-status.js';
import { type AuthenticatorStatus, certificationRank } from '../status/statuses.js';
import type { AuthenticatorFlags } from './attestation.js';
import type { AssuranceClass, Classification, ClassificationEvidence, ReasonCode } from './evidence.js';
import type { ResolvedPolicy } from './policy.js';

const ZERO_AAGUID = '00000000-0000-0000-0000-000000000000';

/** The attestation facts a decision rests on (from an attestation object, or from stored evidence). */
export interface DecisionFacts {
  readonly fmt: string;
  readonly aaguid: string;
  readonly keyId: string | undefined;
  readonly flags: AuthenticatorFlags;
  readonly attestation: ClassificationEvidence['attestation'];
}

/** The metadata entry for an authenticator: by AAGUID, or (zero AAGUID, e.g. U2F) by key identifier. */
export function findEntry(
  blob: VerifiedBlob,
  aaguid: string,
  keyId: string | undefined,
): { entry: MetadataEntry; lookup: 'aaguid' | 'key_id' } | undefined {
  if (aaguid !== ZERO_AAGUID) {
    const entry = blob.lookupAaguid(aaguid);
    return entry ? { entry, lookup: 'aaguid' } : undefined;
  }
  const entry = keyId === undefined ? undefined : blob.lookupKeyId(keyId);
  return entry ? { entry, lookup: 'key_id' } : undefined;
}

const STATUS_REASONS: Partial<Record<AuthenticatorStatus, ReasonCode>> = {
  REVOKED: 'status_revoked',
  USER_VERIFICATION_BYPASS: 'status_user_verification_bypass',
  ATTESTATION_KEY_COMPROMISE: 'status_attestation_key_compromise',
  USER_KEY_REMOTE_COMPROMISE: 'status_user_key_remote_compromise',
  USER_KEY_PHYSICAL_COMPROMISE: 'status_user_key_physical_compromise',
};

/**
 * The REFERENCE §5 rules, pure: `rejected` for invalid flags (BE=0, BS=1), a denied or
 * not-allowed AAGUID, or a rejecting effective status; else `low` without UV; else `medium`
 * for BE=1; else `high` when the attestation chain was verified, the certification reaches the
 * policy minimum and `keyProtection` is hardware with secure_element or tee; else `medium`
 * (or `low` when unattested keys are not accepted as medium).
 */
export function decide(
  facts: DecisionFacts,
  blob: VerifiedBlob | undefined,
  policy: ResolvedPolicy,
  now: Date,
): Classification {
  const found = blob ? findEntry(blob, facts.aaguid, facts.keyId) : undefined;
  const status = found ? evaluateStatus(found.entry, { now }) : undefined;
  const [cls, reasons] = classOf(facts, found?.entry, status, policy);
  return { class: cls, reasons, evidence: buildEvidence(facts, [cls, reasons], blob, found, status, now) };
}

type Verdict = [AssuranceClass, ReasonCode[]];

function classOf(
  facts: DecisionFacts,
  entry: MetadataEntry | undefined,
  status: StatusEvaluation | undefined,
  policy: ResolvedPolicy,
): Verdict {
  const rejected = rejections(facts, policy, status);
  if (rejected.length > 0) return ['rejected', rejected];
  const info: ReasonCode[] = status?.updateAvailable ? ['update_available'] : [];
  if (!facts.flags.uv) return ['low', ['user_not_verified', ...info]];
  if (facts.flags.be) return ['medium', ['backup_eligible', ...info]];
  if (facts.attestation.chain !== 'verified') {
    const why = attestationReason(facts.attestation);
    if (!policy.unattestedDeviceBoundIsMedium) return ['low', [why, 'unattested_not_accepted', ...info]];
    return ['medium', [why, ...info]];
  }
  const blockers = highBlockers(entry, status, policy);
  if (blockers.length > 0) return ['medium', [...blockers, ...info]];
  return [
    'high',
    [
      'device_bound',
      'user_verified',
      'attestation_verified',
      'certified',
      'hardware_key_protection',
      ...info,
    ],
  ];
}

function rejections(facts: DecisionFacts, policy: ResolvedPolicy, status: StatusEvaluation | undefined) {
  const reasons: ReasonCode[] = [];
  if (!facts.flags.be && facts.flags.bs) reasons.push('flags_invalid');
  if (policy.denyAaguids.has(facts.aaguid)) reasons.push('aaguid_denied');
  if (policy.allowAaguids && !policy.allowAaguids.has(facts.aaguid)) reasons.push('aaguid_not_allowed');
  const statusReason = status?.rejected && status.status ? STATUS_REASONS[status.status] : undefined;
  if (statusReason) reasons.push(statusReason);
  return reasons;
}

function attestationReason(attestation: ClassificationEvidence['attestation']): ReasonCode {
  switch (attestation.kind) {
    case 'none':
      return 'attestation_none';
    case 'self':
      return 'attestation_self';
    case 'unsupported':
      return 'attestation_unsupported_format';
    case 'x5c':
      if (attestation.chain === 'failed') return 'attestation_chain_failed';
      if (attestation.detail === 'metadata_not_found') return 'metadata_not_found';
      if (attestation.detail === 'metadata_no_roots') return 'metadata_no_roots';
      return 'metadata_unavailable';
  }
}

function highBlockers(
  entry: MetadataEntry | undefined,
  status: StatusEvaluation | undefined,
  policy: ResolvedPolicy,
): ReasonCode[] {
  if (!entry) return ['metadata_not_found'];
  const blockers: ReasonCode[] = [];
  if (certificationRank(status?.certificationLevel) < certificationRank(policy.minCertificationLevel)) {
    blockers.push('certification_insufficient');
  }
  const protection = entry.metadataStatement?.keyProtection ?? [];
  const hardware = protection.includes('hardware');
  if (!hardware || !(protection.includes('secure_element') || protection.includes('tee'))) {
    blockers.push('key_protection_insufficient');
  }
  return blockers;
}

function buildEvidence(
  facts: DecisionFacts,
  [cls, reasons]: Verdict,
  blob: VerifiedBlob | undefined,
  found: ReturnType<typeof findEntry>,
  status: StatusEvaluation | undefined,
  now: Date,
): ClassificationEvidence {
  const statement = found?.entry.metadataStatement;
  return {
    version: 1,
    class: cls,
    reasons: [...reasons],
    fmt: facts.fmt,
    aaguid: facts.aaguid,
    ...(facts.keyId === undefined ? {} : { attestationKeyId: facts.keyId }),
    flags: { ...facts.flags },
    attestation: { ...facts.attestation },
    metadata: prune({
      blobNo: blob?.no,
      found: found !== undefined,
      lookup: found?.lookup,
      description: statement?.description,
      status: status?.status,
      effectiveDate: status?.effectiveDate,
      certificationLevel: status?.certificationLevel,
      keyProtection: statement?.keyProtection ? [...statement.keyProtection] : undefined,
      updateAvailable: status?.updateAvailable ? true : undefined,
    }),
    classifiedAt: now.toISOString(),
  };
}

/** Drops `undefined` members so the evidence is plain, stable JSON. */
function prune<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
