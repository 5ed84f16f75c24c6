import { z } from 'zod';
import type { MetadataEntry, StatusReport } from '../blob/schema.js';
import { clockSchema, dateOf, parseOptions, systemClock } from '../options.js';
import {
  type AuthenticatorStatus,
  type CertificationStatus,
  isCertificationStatus,
  isKnownStatus,
  REJECTING_STATUSES,
} from './statuses.js';

/** The evaluated status of one metadata entry at one moment. */
export interface StatusEvaluation {
  /** The effective status, or `undefined` when no known report is in effect yet. */
  readonly status: AuthenticatorStatus | undefined;
  /** `effectiveDate` of the report that set `status`. */
  readonly effectiveDate: string | undefined;
  /** The latest certification status in effect; `undefined` if none, or after `REVOKED`. */
  readonly certificationLevel: CertificationStatus | undefined;
  /** `true` when `status` is REVOKED, USER_VERIFICATION_BYPASS or a key compromise. */
  readonly rejected: boolean;
  /** An `UPDATE_AVAILABLE` that is not known to apply to this authenticator (it may need updating). */
  readonly updateAvailable: { readonly authenticatorVersion: number | undefined } | undefined;
}

/** The two ways a policy may relax the conservative reading of status reports (both off by default). */
export const statusRelaxations = {
  /** Take an unknown device firmware version to be the statement's `authenticatorVersion`, so that an
   * `UPDATE_AVAILABLE` at or below it clears a compromise. Default `false`: only a device version you
   * know (`authenticatorVersion`) can meet an update. */
  assumeStatementAuthenticatorVersion: z.boolean().optional(),
  /** Let a certification report dated after a compromise or `REVOKED` clear it. Default `false`. */
  laterCertificationClearsCompromise: z.boolean().optional(),
};

const schema = z.strictObject({
  /** The clock (reports with a later `effectiveDate` are not in effect yet). Default: `Date.now`. */
  now: clockSchema.optional(),
  /** The registering device's firmware version, when known (FIDO MDS `authenticatorVersion`). */
  authenticatorVersion: z.number().int().nonnegative().optional(),
  ...statusRelaxations,
});

/** Options of {@link evaluateStatus}. */
export type EvaluateStatusOptions = z.input<typeof schema>;

type Known = StatusReport & { status: AuthenticatorStatus };

/**
 * The effective status of an entry (FIDO MDS3 §3.1.3, REFERENCE §4), read conservatively:
 *
 * - Reports are ordered by `effectiveDate`; reports without a date count as the earliest (in array
 *   order), so an undated report never overrides a dated one; ties keep array order. Reports dated after
 *   `now` and unknown status values are ignored.
 * - A compromise (`ATTESTATION_KEY_COMPROMISE`, `USER_KEY_*`, `USER_VERIFICATION_BYPASS`) stays in effect
 *   until a later `UPDATE_AVAILABLE` whose `authenticatorVersion` the device is known to meet (the
 *   `authenticatorVersion` option; the statement's own version does not stand in for an unknown device
 *   unless `assumeStatementAuthenticatorVersion`). `REVOKED` is never cleared by an update.
 * - A later certification report does not clear a compromise or `REVOKED`, unless
 *   `laterCertificationClearsCompromise`.
 *
 * Does NOT fetch or check report `url`s, certificates or certification descriptors.
 *
 * @example
 * ```ts
 * const { status, rejected, certificationLevel } = evaluateStatus(entry, { now: Date.now });
 * ```
 */
export function evaluateStatus(entry: MetadataEntry, options: EvaluateStatusOptions = {}): StatusEvaluation {
  const o = parseOptions(schema, options, 'evaluateStatus');
  const today = dateOf(o.now ?? systemClock)
    .toISOString()
    .slice(0, 10);
  const version =
    o.authenticatorVersion ??
    (o.assumeStatementAuthenticatorVersion ? entry.metadataStatement?.authenticatorVersion : undefined);
  let effective: Known | undefined;
  let standing: Known | undefined; // the rejecting report in effect, if any
  let certification: CertificationStatus | undefined;
  let pendingUpdate: Known | undefined;
  for (const report of inEffect(entry.statusReports, today)) {
    if (REJECTING_STATUSES.has(report.status)) {
      standing = report;
      effective = report;
      if (report.status === 'REVOKED') certification = undefined;
      continue;
    }
    if (report.status === 'UPDATE_AVAILABLE') {
      const applies = appliesTo(report, version);
      pendingUpdate = applies ? undefined : report;
      if (standing && applies && standing.status !== 'REVOKED') standing = undefined;
    } else if (standing && o.laterCertificationClearsCompromise && isCertificationStatus(report.status)) {
      standing = undefined;
    }
    // A certification issued while REVOKED stands does not restore the level.
    if (isCertificationStatus(report.status) && standing?.status !== 'REVOKED') certification = report.status;
    effective = standing ?? report;
  }
  const status = effective?.status;
  return {
    status,
    effectiveDate: effective?.effectiveDate,
    certificationLevel: certification,
    rejected: status !== undefined && REJECTING_STATUSES.has(status),
    updateAvailable: pendingUpdate ? { authenticatorVersion: pendingUpdate.authenticatorVersion } : undefined,
  };
}

function appliesTo(update: StatusReport, version: number | undefined): boolean {
  return (
    update.authenticatorVersion !== undefined &&
    version !== undefined &&
    version >= update.authenticatorVersion
  );
}

function inEffect(reports: readonly StatusReport[], today: string): Known[] {
  const known: Array<{ report: Known; index: number }> = [];
  reports.forEach((report, index) => {
    const status = report.status;
    if (!isKnownStatus(status)) return;
    if (report.effectiveDate !== undefined && report.effectiveDate > today) return;
    known.push({ report: { ...report, status }, index });
  });
  known.sort((a, b) => {
    const da = a.report.effectiveDate ?? '';
    const db = b.report.effectiveDate ?? '';
    return da < db ? -1 : da > db ? 1 : a.index - b.index;
  });
  return known.map((d) => d.report);
}
