import type { MetadataEntry } from '../blob/schema.js';
import type { StatusEvaluation } from '../status/evaluate-status.js';
import { type AuthenticatorStatus, certificationRank } from '../status/statuses.js';
import type { AuthenticatorFlags } from './attestation.js';
import type { AttestationResult } from './check-attestation.js';
import type { AssuranceClass, ReasonCode } from './evidence.js';
import type { FoundEntry } from './find-entry.js';
import type { ResolvedPolicy } from './policy.js';

/** The facts a decision rests on. */
export interface DecisionFacts {
  readonly aaguid: string;
  readonly flags: AuthenticatorFlags;
  readonly attestation: AttestationResult;
}

/** A class and the reasons for it. */
export type Verdict = [AssuranceClass, ReasonCode[]];

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
  found: FoundEntry | undefined,
  status: StatusEvaluation | undefined,
  policy: ResolvedPolicy,
): Verdict {
  const rejected = rejections(facts, policy, status);
  if (rejected.length > 0) return ['rejected', rejected];
  const info: ReasonCode[] = [
    ...(status?.updateAvailable ? (['update_available'] as const) : []),
    ...(found?.localIgnored ? (['local_statement_ignored'] as const) : []),
  ];
  if (!facts.flags.uv) return ['low', ['user_not_verified', ...info]];
  if (facts.flags.be) return ['medium', ['backup_eligible', ...info]];
  if (facts.attestation.chain !== 'verified') {
    const why = attestationReason(facts.attestation);
    if (!policy.unattestedDeviceBoundIsMedium) return ['low', [why, 'unattested_not_accepted', ...info]];
    return ['medium', [why, ...info]];
  }
  const blockers = highBlockers(found, status, policy);
  if (blockers.length > 0) return ['medium', [...blockers, ...info]];
  const high: ReasonCode[] = [
    'device_bound',
    'user_verified',
    'attestation_verified',
    'certified',
    'hardware_key_protection',
  ];
  return ['high', [...high, ...info]];
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

const DETAIL_REASONS: Readonly<Record<string, ReasonCode>> = {
  metadata_not_found: 'metadata_not_found',
  metadata_no_roots: 'metadata_no_roots',
  metadata_entry_invalid: 'metadata_entry_invalid',
};

function attestationReason(attestation: AttestationResult): ReasonCode {
  switch (attestation.kind) {
    case 'none':
      return 'attestation_none';
    case 'self':
      return 'attestation_self';
    case 'unsupported':
      return 'attestation_unsupported_format';
    case 'x5c':
      if (attestation.chain === 'failed') return 'attestation_chain_failed';
      return DETAIL_REASONS[attestation.detail ?? ''] ?? 'metadata_unavailable';
  }
}

function highBlockers(
  found: FoundEntry | undefined,
  status: StatusEvaluation | undefined,
  policy: ResolvedPolicy,
): ReasonCode[] {
  if (!found) return ['metadata_not_found'];
  if (found.skipped) return ['metadata_entry_invalid'];
  const entry: MetadataEntry = found.entry;
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
