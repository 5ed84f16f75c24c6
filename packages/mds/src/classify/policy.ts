import { z } from 'zod';
import { normalizeAaguid } from '../blob/verified-blob.js';
import { parseOptions } from '../options.js';
import { CERTIFICATION_LEVELS, type CertificationLevel } from '../status/statuses.js';

/** The classification policy (REFERENCE §5). Every field is optional. */
export interface ClassificationPolicy {
  /** Lowest certification for `high`. Default `FIDO_CERTIFIED_L1` (`FIDO_CERTIFIED` ranks equal). */
  minCertificationLevel?: CertificationLevel;
  /** When set, AAGUIDs not listed are `rejected` (reason `aaguid_not_allowed`). */
  allowAaguids?: string[];
  /** AAGUIDs always `rejected` (reason `aaguid_denied`). */
  denyAaguids?: string[];
  /** Whether a device-bound, user-verified key without verifiable attestation is `medium`
   * (default `true`) or `low`. */
  unattestedDeviceBoundIsMedium?: boolean;
}

/** A validated policy with defaults applied. */
export interface ResolvedPolicy {
  readonly minCertificationLevel: CertificationLevel;
  readonly allowAaguids: ReadonlySet<string> | undefined;
  readonly denyAaguids: ReadonlySet<string>;
  readonly unattestedDeviceBoundIsMedium: boolean;
}

const aaguid = z.string().transform((value, ctx) => {
  const normalized = normalizeAaguid(value);
  if (normalized === undefined) {
    ctx.addIssue({ code: 'custom', message: 'not an AAGUID' });
    return z.NEVER;
  }
  return normalized;
});

const schema = z.object({
  minCertificationLevel: z.enum(CERTIFICATION_LEVELS).optional(),
  allowAaguids: z.array(aaguid).optional(),
  denyAaguids: z.array(aaguid).optional(),
  unattestedDeviceBoundIsMedium: z.boolean().optional(),
});

/** Validates a policy read from JSON or config (throws `ERR_CONFIG_INVALID`). */
export function validatePolicy(value: unknown): ClassificationPolicy {
  return parseOptions(schema, value, 'policy');
}

/** Validates a policy (throws `ERR_CONFIG_INVALID`) and applies defaults. */
export function resolvePolicy(policy: ClassificationPolicy | undefined): ResolvedPolicy {
  const p = parseOptions(schema, policy, 'policy');
  return {
    minCertificationLevel: p.minCertificationLevel ?? 'FIDO_CERTIFIED_L1',
    allowAaguids: p.allowAaguids ? new Set(p.allowAaguids) : undefined,
    denyAaguids: new Set(p.denyAaguids ?? []),
    unattestedDeviceBoundIsMedium: p.unattestedDeviceBoundIsMedium ?? true,
  };
}
