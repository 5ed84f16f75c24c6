import { certificationRank, evaluateStatus, type MetadataEntry } from '@stepup/mds';
import { describe, expect, it } from 'vitest';

const NOW = new Date('2025-06-01T12:00:00Z');

function entryWith(statusReports: MetadataEntry['statusReports'], authenticatorVersion = 2): MetadataEntry {
  return {
    aaguid: '11111111-2222-4333-8444-555555555555',
    metadataStatement: { authenticatorVersion },
    statusReports,
  };
}

const evaluate = (
  reports: MetadataEntry['statusReports'],
  o: { version?: number; statement?: number } = {},
) =>
  evaluateStatus(entryWith(reports, o.statement), {
    now: NOW,
    ...(o.version === undefined ? {} : { authenticatorVersion: o.version }),
  });

describe('evaluateStatus', () => {
  it('takes the latest report by effectiveDate, whatever the array order', () => {
    const result = evaluate([
      { status: 'FIDO_CERTIFIED_L2', effectiveDate: '2024-03-01' },
      { status: 'FIDO_CERTIFIED_L1', effectiveDate: '2022-01-01' },
    ]);
    expect(result).toEqual({
      status: 'FIDO_CERTIFIED_L2',
      effectiveDate: '2024-03-01',
      certificationLevel: 'FIDO_CERTIFIED_L2',
      rejected: false,
      updateAvailable: undefined,
    });
  });

  it('ignores reports not yet in effect and unknown status values', () => {
    const result = evaluate([
      { status: 'FIDO_CERTIFIED_L1', effectiveDate: '2024-01-01' },
      { status: 'REVOKED', effectiveDate: '2025-06-02' },
      { status: 'BRAND_NEW_STATUS', effectiveDate: '2025-01-01' },
    ]);
    expect(result.status).toBe('FIDO_CERTIFIED_L1');
    expect(result.rejected).toBe(false);
    expect(evaluate([{ status: 'REVOKED', effectiveDate: '2025-06-01' }]).status).toBe('REVOKED');
  });

  it('breaks date ties by array order and counts undated reports as earliest', () => {
    expect(
      evaluate([
        { status: 'FIDO_CERTIFIED_L1', effectiveDate: '2024-01-01' },
        { status: 'FIDO_CERTIFIED_L1plus', effectiveDate: '2024-01-01' },
      ]).status,
    ).toBe('FIDO_CERTIFIED_L1plus');
    expect(
      evaluate([
        { status: 'FIDO_CERTIFIED_L3', effectiveDate: '2020-01-01' },
        { status: 'NOT_FIDO_CERTIFIED' },
      ]).status,
    ).toBe('FIDO_CERTIFIED_L3');
  });

  it('has no status without known reports in effect', () => {
    expect(evaluate([])).toMatchObject({ status: undefined, certificationLevel: undefined, rejected: false });
  });

  for (const status of [
    'REVOKED',
    'USER_VERIFICATION_BYPASS',
    'ATTESTATION_KEY_COMPROMISE',
    'USER_KEY_REMOTE_COMPROMISE',
    'USER_KEY_PHYSICAL_COMPROMISE',
  ]) {
    it(`${status} rejects`, () => {
      expect(
        evaluate([
          { status: 'FIDO_CERTIFIED_L2', effectiveDate: '2024-01-01' },
          { status, effectiveDate: '2025-01-01' },
        ]),
      ).toMatchObject({
        status,
        rejected: true,
      });
    });
  }

  it('REVOKED removes the certification level; a later certification restores it', () => {
    const revoked = evaluate([
      { status: 'FIDO_CERTIFIED_L2', effectiveDate: '2023-01-01' },
      { status: 'REVOKED', effectiveDate: '2024-01-01' },
    ]);
    expect(revoked.certificationLevel).toBeUndefined();
    const recertified = evaluate([
      { status: 'FIDO_CERTIFIED_L2', effectiveDate: '2023-01-01' },
      { status: 'REVOKED', effectiveDate: '2024-01-01' },
      { status: 'FIDO_CERTIFIED_L1', effectiveDate: '2025-01-01' },
    ]);
    expect(recertified).toMatchObject({
      status: 'FIDO_CERTIFIED_L1',
      certificationLevel: 'FIDO_CERTIFIED_L1',
      rejected: false,
    });
  });

  it('a compromise keeps the certification level it happened under', () => {
    expect(
      evaluate([
        { status: 'FIDO_CERTIFIED_L2', effectiveDate: '2023-01-01' },
        { status: 'USER_KEY_REMOTE_COMPROMISE', effectiveDate: '2024-01-01' },
      ]).certificationLevel,
    ).toBe('FIDO_CERTIFIED_L2');
  });

  describe('UPDATE_AVAILABLE', () => {
    const reports = [
      { status: 'FIDO_CERTIFIED_L1', effectiveDate: '2023-01-01' },
      { status: 'ATTESTATION_KEY_COMPROMISE', effectiveDate: '2024-01-01' },
      { status: 'UPDATE_AVAILABLE', effectiveDate: '2024-06-01', authenticatorVersion: 5 },
    ];

    it('does not clear a compromise for a version below the fix', () => {
      expect(evaluate(reports, { version: 4 })).toEqual({
        status: 'ATTESTATION_KEY_COMPROMISE',
        effectiveDate: '2024-01-01',
        certificationLevel: 'FIDO_CERTIFIED_L1',
        rejected: true,
        updateAvailable: { authenticatorVersion: 5 },
      });
    });

    it('clears it at or above the fix version', () => {
      for (const version of [5, 6]) {
        expect(evaluate(reports, { version })).toMatchObject({
          status: 'UPDATE_AVAILABLE',
          rejected: false,
          updateAvailable: undefined,
        });
      }
    });

    it("uses the statement's authenticatorVersion when the device version is not given", () => {
      expect(evaluate(reports, { statement: 4 }).rejected).toBe(true);
      expect(evaluate(reports, { statement: 5 }).rejected).toBe(false);
    });

    it('does not clear anything when it names no version', () => {
      const noVersion = [...reports.slice(0, 2), { status: 'UPDATE_AVAILABLE', effectiveDate: '2024-06-01' }];
      expect(evaluate(noVersion, { version: 99 }).rejected).toBe(true);
    });

    it('never clears REVOKED', () => {
      const revoked = [{ status: 'REVOKED', effectiveDate: '2024-01-01' }, { ...reports[2]! }];
      expect(evaluate(revoked, { version: 9 })).toMatchObject({ status: 'REVOKED', rejected: true });
    });

    it('is informational without a compromise', () => {
      expect(evaluate([reports[0]!, reports[2]!], { version: 1 })).toMatchObject({
        status: 'UPDATE_AVAILABLE',
        rejected: false,
        certificationLevel: 'FIDO_CERTIFIED_L1',
        updateAvailable: { authenticatorVersion: 5 },
      });
    });

    it('a compromise reported after the update stands', () => {
      const later = [reports[2]!, { status: 'USER_VERIFICATION_BYPASS', effectiveDate: '2025-01-01' }];
      expect(evaluate(later, { version: 9 })).toMatchObject({
        status: 'USER_VERIFICATION_BYPASS',
        rejected: true,
      });
    });
  });
});

describe('certificationRank', () => {
  it('orders levels, with FIDO_CERTIFIED equal to L1', () => {
    const ranks = [
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
    expect(ranks.map(certificationRank)).toEqual([0, 0, 1, 1, 2, 3, 4, 5, 6]);
    expect(certificationRank(undefined)).toBe(0);
  });
});
