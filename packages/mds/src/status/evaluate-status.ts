import type { MetadataEntry, StatusReport } from '../blob/schema.js';
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
  /** An `UPDATE_AVAILABLE` that does not apply to this authenticator version (it needs updating). */
  readonly updateAvailable: { readonly authenticatorVersion: number | undefined } | undefined;
}

/** Options of {@link evaluateStatus}. */
export interface EvaluateStatusOptions {
  /** The moment of evaluation; reports with a later `effectiveDate` are not in effect yet. */
  now: Date;
  /** The authenticator's firmware version, if known. Default: the metadata statement's
   * `authenticatorVersion` (the lowest version the statement vouches for). */
  authenticatorVersion?: number;
}

interface Dated {
  readonly report: StatusReport & { status: AuthenticatorStatus };
  readonly index: number;
}

/**
 * The effective status of an entry (FIDO MDS3 §3.1.3, REFERENCE §4): the latest known report by
 * `effectiveDate` (array order breaks ties; a report without a date counts as earliest), except
 * that an `UPDATE_AVAILABLE` clears a compromise only when the authenticator version is at or
 * above the `authenticatorVersion` it names; otherwise the compromise stays in effect. An
 * `UPDATE_AVAILABLE` never clears `REVOKED`. Unknown status values are ignored.
 *
 * Does NOT fetch or check report `url`s, certificates or certification descriptors.
 *
 * @example
 * ```ts
 * const { status, rejected, certificationLevel } = evaluateStatus(entry, { now: new Date() });
 * ```
 */
export function evaluateStatus(entry: MetadataEntry, options: EvaluateStatusOptions): StatusEvaluation {
  const today = options.now.toISOString().slice(0, 10);
  const version = options.authenticatorVersion ?? entry.metadataStatement?.authenticatorVersion;
  const reports = inEffect(entry.statusReports, today);
  let effective: Dated['report'] | undefined;
  let certification: CertificationStatus | undefined;
  let pendingUpdate: Dated['report'] | undefined;
  for (const report of reports) {
    if (report.status === 'UPDATE_AVAILABLE') {
      const applies = appliesTo(report, version);
      pendingUpdate = applies ? undefined : report;
      const current = effective?.status;
      if (current !== undefined && REJECTING_STATUSES.has(current) && (!applies || current === 'REVOKED'))
        continue;
      effective = report;
      continue;
    }
    effective = report;
    if (isCertificationStatus(report.status)) certification = report.status;
    if (report.status === 'REVOKED') certification = undefined;
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

function inEffect(reports: readonly StatusReport[], today: string): Dated['report'][] {
  const dated: Dated[] = [];
  reports.forEach((report, index) => {
    const status = report.status;
    if (!isKnownStatus(status)) return;
    if (report.effectiveDate !== undefined && report.effectiveDate > today) return;
    dated.push({ report: { ...report, status }, index });
  });
  dated.sort((a, b) => {
    const da = a.report.effectiveDate ?? '';
    const db = b.report.effectiveDate ?? '';
    return da < db ? -1 : da > db ? 1 : a.index - b.index;
  });
  return dated.map((d) => d.report);
}
