import {
  certificationRank,
  type EvaluateStatusOptions,
  evaluateStatus,
  type MetadataEntry,
} from '@stepup/mds';
import { describe, expect, it } from 'vitest';

const NOW = Date.parse('2025-06-01T12:00:00Z');

function entryWith(statusReports: MetadataEntry['statusReports'], authenticatorVersion = 2): MetadataEntry {
  return {
    aaguid: '11111111-2222-4333-8444-555555555555',
    metadataStatement: { authenticatorVersion },
    statusReports,
  };
}

const evaluate = (
  reports: MetadataEntry['statusReports'],
  o: { version?: number; statement?: number; relax?: EvaluateStatusOptions } = {},
) =>
  evaluateStatus(entryWith(reports, o.statement), {
    now: () => NOW,
    ...(o.version === undefined ? {} : { authenticatorVersion: o.version }),
    ...o.relax,
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

  it('REVOKED removes the certification level, and a later certification does not clear it', () => {
    const revoked = evaluate([
      { status: 'FIDO_CERTIFIED_L2', effectiveDate: '2023-01-01' },
      { status: 'REVOKED', effectiveDate: '2024-01-01' },
    ]);
    expect(revoked.certificationLevel).toBeUndefined();
    const recertified = [
      { status: 'FIDO_CERTIFIED_L2', effectiveDate: '2023-01-01' },
      { status: 'REVOKED', effectiveDate: '2024-01-01' },
      { status: 'FIDO_CERTIFIED_L1', effectiveDate: '2025-01-01' },
    ];
    expect(evaluate(recertified)).toEqual({
      status: 'REVOKED',
      effectiveDate: '2024-01-01',
      certificationLevel: undefined,
      rejected: true,
      updateAvailable: undefined,
    });
    expect(evaluate(recertified, { relax: { laterCertificationClearsCompromise: true } })).toMatchObject({
      status: 'FIDO_CERTIFIED_L1',
      certificationLevel: 'FIDO_CERTIFIED_L1',
      rejected: false,
    });
  });

  for (const compromise of [
    'ATTESTATION_KEY_COMPROMISE',
    'USER_KEY_REMOTE_COMPROMISE',
    'USER_KEY_PHYSICAL_COMPROMISE',
    'USER_VERIFICATION_BYPASS',
  ]) {
    it(`a later certification report alone does not clear ${compromise}`, () => {
      const reports = [
        { status: 'FIDO_CERTIFIED_L1', effectiveDate: '2023-01-01' },
        { status: compromise, effectiveDate: '2024-01-01' },
        { status: 'FIDO_CERTIFIED_L2', effectiveDate: '2025-01-01' },
      ];
      expect(evaluate(reports)).toMatchObject({
        status: compromise,
        rejected: true,
        effectiveDate: '2024-01-01',
      });
      expect(evaluate(reports, { relax: { laterCertificationClearsCompromise: true } })).toMatchObject({
        status: 'FIDO_CERTIFIED_L2',
        rejected: false,
      });
    });
  }

  it('an undated report counts as the earliest: an undated update never clears a dated compromise', () => {
    const reports = [
      { status: 'USER_VERIFICATION_BYPASS', effectiveDate: '2024-01-01' },
      { status: 'UPDATE_AVAILABLE', authenticatorVersion: 3 },
    ];
    expect(evaluate(reports, { version: 9 })).toMatchObject({
      status: 'USER_VERIFICATION_BYPASS',
      rejected: true,
    });
    // An undated compromise is still in effect until a later, applicable update clears it.
    const undated = [
      { status: 'ATTESTATION_KEY_COMPROMISE' },
      { status: 'FIDO_CERTIFIED_L1', effectiveDate: '2024-01-01' },
    ];
    expect(evaluate(undated)).toMatchObject({ status: 'ATTESTATION_KEY_COMPROMISE', rejected: true });
    const cleared = [
      ...undated,
      { status: 'UPDATE_AVAILABLE', effectiveDate: '2024-06-01', authenticatorVersion: 3 },
    ];
    expect(evaluate(cleared, { version: 3 })).toMatchObject({ status: 'UPDATE_AVAILABLE', rejected: false });
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

    it("does not take the statement's authenticatorVersion for an unknown device version, unless the policy says so", () => {
      expect(evaluate(reports, { statement: 5 }).rejected).toBe(true);
      expect(evaluate(reports, { statement: 9 })).toMatchObject({
        status: 'ATTESTATION_KEY_COMPROMISE',
        updateAvailable: { authenticatorVersion: 5 },
      });
      const assume = { assumeStatementAuthenticatorVersion: true };
      expect(evaluate(reports, { statement: 4, relax: assume }).rejected).toBe(true);
      expect(evaluate(reports, { statement: 5, relax: assume }).rejected).toBe(false);
      // A device version that is known wins over the statement's.
      expect(evaluate(reports, { statement: 9, version: 4, relax: assume }).rejected).toBe(true);
    });

    it('does not clear anything when it names no version', () => {
      const noVersion = [...reports.slice(0, 2), { status: 'UPDATE_AVAILABLE', effectiveDate: '2024-06-01' }];
      expect(evaluate(noVersion, { version: 99 }).rejected).toBe(true);
    });

    it('never clears REVOKED, even with both relaxations', () => {
      const revoked = [{ status: 'REVOKED', effectiveDate: '2024-01-01' }, { ...reports[2]! }];
      expect(evaluate(revoked, { version: 9 })).toMatchObject({ status: 'REVOKED', rejected: true });
      const relax = { assumeStatementAuthenticatorVersion: true, laterCertificationClearsCompromise: true };
      expect(evaluate(revoked, { statement: 9, relax })).toMatchObject({ status: 'REVOKED', rejected: true });
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

describe('evaluateStatus options', () => {
  it('are strict: a misspelt relaxation is refused, naming it', () => {
    expect(() =>
      // @ts-expect-error a misspelt option
      evaluateStatus(entryWith([]), { now: () => NOW, laterCertificationClearsCompromize: true }),
    ).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG_INVALID',
        message: expect.stringContaining('laterCertificationClearsCompromize: unknown option'),
      }),
    );
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
