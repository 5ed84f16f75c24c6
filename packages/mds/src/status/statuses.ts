/** Every `AuthenticatorStatus` value of FIDO MDS3 §3.1.4 this package understands. Other values are
 * ignored by the evaluation (the spec asks relying parties to ignore unknown values). */
export const AUTHENTICATOR_STATUSES = [
  'NOT_FIDO_CERTIFIED',
  'FIDO_CERTIFIED',
  'USER_VERIFICATION_BYPASS',
  'ATTESTATION_KEY_COMPROMISE',
  'USER_KEY_REMOTE_COMPROMISE',
  'USER_KEY_PHYSICAL_COMPROMISE',
  'UPDATE_AVAILABLE',
  'REVOKED',
  'SELF_ASSERTION_SUBMITTED',
  'FIDO_CERTIFIED_L1',
  'FIDO_CERTIFIED_L1plus',
  'FIDO_CERTIFIED_L2',
  'FIDO_CERTIFIED_L2plus',
  'FIDO_CERTIFIED_L3',
  'FIDO_CERTIFIED_L3plus',
] as const;

export type AuthenticatorStatus = (typeof AUTHENTICATOR_STATUSES)[number];

/** Statuses that say something about certification, lowest first. */
export const CERTIFICATION_STATUSES = [
  'NOT_FIDO_CERTIFIED',
  'SELF_ASSERTION_SUBMITTED',
  'FIDO_CERTIFIED',
  'FIDO_CERTIFIED_L1',
  'FIDO_CERTIFIED_L1plus',
  'FIDO_CERTIFIED_L2',
  'FIDO_CERTIFIED_L2plus',
  'FIDO_CERTIFIED_L3',
  'FIDO_CERTIFIED_L3plus',
] as const;

export type CertificationStatus = (typeof CERTIFICATION_STATUSES)[number];

/** The certification levels a policy can require (any actual FIDO certification), lowest first. */
export const CERTIFICATION_LEVELS = [
  'FIDO_CERTIFIED',
  'FIDO_CERTIFIED_L1',
  'FIDO_CERTIFIED_L1plus',
  'FIDO_CERTIFIED_L2',
  'FIDO_CERTIFIED_L2plus',
  'FIDO_CERTIFIED_L3',
  'FIDO_CERTIFIED_L3plus',
] as const;

/** A level a policy can require. */
export type CertificationLevel = (typeof CERTIFICATION_LEVELS)[number];

/** Statuses after which the authenticator must not be trusted (REFERENCE §5: rejected). */
export const REJECTING_STATUSES: ReadonlySet<AuthenticatorStatus> = new Set([
  'REVOKED',
  'USER_VERIFICATION_BYPASS',
  'ATTESTATION_KEY_COMPROMISE',
  'USER_KEY_REMOTE_COMPROMISE',
  'USER_KEY_PHYSICAL_COMPROMISE',
]);

const KNOWN: ReadonlySet<string> = new Set(AUTHENTICATOR_STATUSES);
const CERTIFICATION: ReadonlySet<string> = new Set(CERTIFICATION_STATUSES);

export function isKnownStatus(status: string): status is AuthenticatorStatus {
  return KNOWN.has(status);
}

export function isCertificationStatus(status: string): status is CertificationStatus {
  return CERTIFICATION.has(status);
}

/**
 * Rank of a certification status: 0 for not certified or self-asserted, 1 for `FIDO_CERTIFIED`
 * and `FIDO_CERTIFIED_L1` (FIDO defines the former as the latter), up to 6 for `L3plus`.
 */
export function certificationRank(status: CertificationStatus | undefined): number {
  switch (status) {
    case undefined:
    case 'NOT_FIDO_CERTIFIED':
    case 'SELF_ASSERTION_SUBMITTED':
      return 0;
    case 'FIDO_CERTIFIED':
    case 'FIDO_CERTIFIED_L1':
      return 1;
    case 'FIDO_CERTIFIED_L1plus':
      return 2;
    case 'FIDO_CERTIFIED_L2':
      return 3;
    case 'FIDO_CERTIFIED_L2plus':
      return 4;
    case 'FIDO_CERTIFIED_L3':
      return 5;
    case 'FIDO_CERTIFIED_L3plus':
      return 6;
  }
}
