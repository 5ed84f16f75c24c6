import { z } from 'zod';
import { normalizeAaguid } from '../blob/verified-blob.js';
import { parseOptions } from '../options.js';
import { statusRelaxations } from '../status/evaluate-status.js';
import { CERTIFICATION_LEVELS, type CertificationLevel } from '../status/statuses.js';

const aaguid = z.string().transform((value, ctx) => {
  const normalized = normalizeAaguid(value);
  if (normalized === undefined) {
    ctx.addIssue({ code: 'custom', message: 'not an AAGUID' });
    return z.NEVER;
  }
  return normalized;
});

/** The classification policy (REFERENCE §5): unknown keys are refused, so a misspelt rule never
 * silently weakens it. */
export const policySchema = z.strictObject({
  /** Lowest certification for `high`. Default `FIDO_CERTIFIED_L1` (`FIDO_CERTIFIED` ranks equal). */
  minCertificationLevel: z.enum(CERTIFICATION_LEVELS).optional(),
  /** When set, AAGUIDs not listed are `rejected` (reason `aaguid_not_allowed`). */
  allowAaguids: z.array(aaguid).optional(),
  /** AAGUIDs always `rejected` (reason `aaguid_denied`). */
  denyAaguids: z.array(aaguid).optional(),
  /** Whether a device-bound, user-verified key without verifiable attestation is `medium`
   * (default `true`) or `low`. */
  unattestedDeviceBoundIsMedium: z.boolean().optional(),
  ...statusRelaxations,
});

/** The classification policy. Every field is optional. */
export type ClassificationPolicy = z.input<typeof policySchema>;

/** A validated policy with defaults applied. */
export interface ResolvedPolicy {
  readonly minCertificationLevel: CertificationLevel;
  readonly allowAaguids: ReadonlySet<string> | undefined;
  readonly denyAaguids: ReadonlySet<string>;
  readonly unattestedDeviceBoundIsMedium: boolean;
  readonly assumeStatementAuthenticatorVersion: boolean;
  readonly laterCertificationClearsCompromise: boolean;
}

/** Validates a policy read from JSON or config (throws `ERR_CONFIG_INVALID` naming every bad key). */
export function validatePolicy(value: unknown): ClassificationPolicy {
  return parseOptions(policySchema, value, 'policy');
}

/** Applies defaults to a validated policy. */
export function resolvePolicy(p: z.output<typeof policySchema> | undefined): ResolvedPolicy {
  return {
    minCertificationLevel: p?.minCertificationLevel ?? 'FIDO_CERTIFIED_L1',
    allowAaguids: p?.allowAaguids ? new Set(p.allowAaguids) : undefined,
    denyAaguids: new Set(p?.denyAaguids ?? []),
    unattestedDeviceBoundIsMedium: p?.unattestedDeviceBoundIsMedium ?? true,
    assumeStatementAuthenticatorVersion: p?.assumeStatementAuthenticatorVersion ?? false,
    laterCertificationClearsCompromise: p?.laterCertificationClearsCompromise ?? false,
  };
}
