import { describe, expect, it } from 'vitest';
import {
  ACR_ELEVATED,
  ACR_HIGH,
  ACR_STANDARD,
  acrSatisfies,
  BANK_ACR_VALUES,
  BANK_LEVELS,
  ELEVATED_THRESHOLD,
  HIGH_VALUE_THRESHOLD,
  isBankAcr,
  isNewPayee,
  LEVEL_WORDS,
  levelNamed,
  levelOfAcr,
  payeeNeeds,
  requiredAcr,
  STEP_UP_MAX_AGE,
  transferNeeds,
} from '../src/index.js';

describe('the levels', () => {
  it('are the three acr values, weakest first, with their words', () => {
    expect(BANK_ACR_VALUES).toEqual([
      'urn:stepup:bank:acr:standard',
      'http://schemas.openid.net/pape/policies/2007/06/multi-factor',
      'urn:stepup:bank:acr:high',
    ]);
    expect(BANK_LEVELS.map((l) => [l.level, l.credential])).toEqual([
      ['standard', 'passkey'],
      ['elevated', 'passkey and one-time code'],
      ['high', 'security key'],
    ]);
    expect(levelOfAcr(ACR_ELEVATED)?.name).toBe('Elevated');
    expect(LEVEL_WORDS[ACR_HIGH].name).toBe('High');
    expect(levelOfAcr(ACR_STANDARD)?.level).toBe('standard');
    expect(levelNamed('high').acr).toBe(ACR_HIGH);
  });

  it('know nothing else', () => {
    for (const value of ['urn:stepup:bank:acr:HIGH', '', undefined, 2, 'high', 'toString', '__proto__']) {
      expect(isBankAcr(value)).toBe(false);
      expect(levelOfAcr(value)).toBeUndefined();
    }
  });

  it('are ordered: a higher level satisfies a lower one, never the reverse', () => {
    expect(acrSatisfies(ACR_HIGH, ACR_STANDARD)).toBe(true);
    expect(acrSatisfies(ACR_HIGH, ACR_ELEVATED)).toBe(true);
    expect(acrSatisfies(ACR_HIGH, ACR_HIGH)).toBe(true);
    expect(acrSatisfies(ACR_ELEVATED, ACR_STANDARD)).toBe(true);
    expect(acrSatisfies(ACR_ELEVATED, ACR_HIGH)).toBe(false);
    expect(acrSatisfies(ACR_STANDARD, ACR_ELEVATED)).toBe(false);
    expect(acrSatisfies(ACR_STANDARD, ACR_HIGH)).toBe(false);
    expect(acrSatisfies(undefined, ACR_STANDARD)).toBe(false);
    expect(acrSatisfies('urn:other', ACR_STANDARD)).toBe(false);
  });

  it('read acr_values as a set: the lowest known value is what must be reached', () => {
    expect(requiredAcr(undefined)).toEqual({ acr: ACR_STANDARD, unmet: false });
    expect(requiredAcr('  ')).toEqual({ acr: ACR_STANDARD, unmet: false });
    expect(requiredAcr(`urn:other ${ACR_HIGH}`)).toEqual({ acr: ACR_HIGH, unmet: false });
    expect(requiredAcr(`${ACR_HIGH} ${ACR_STANDARD}`)).toEqual({ acr: ACR_STANDARD, unmet: false });
    expect(requiredAcr(`${ACR_HIGH} ${ACR_ELEVATED}`)).toEqual({ acr: ACR_ELEVATED, unmet: false });
    expect(requiredAcr('urn:other')).toEqual({ unmet: true });
  });
});

describe('the policy', () => {
  it('is a ladder: standard up to 1,000.00, elevated up to 10,000.00, high above, each step-up bound to the transfer', () => {
    expect([ELEVATED_THRESHOLD, HIGH_VALUE_THRESHOLD, STEP_UP_MAX_AGE]).toEqual([100_000, 1_000_000, 300]);
    expect(transferNeeds(100_000)).toEqual({ level: levelNamed('standard'), bound: false });
    expect(transferNeeds(100_001)).toEqual({ level: levelNamed('elevated'), maxAge: 300, bound: true });
    expect(transferNeeds(1_000_000)).toEqual({ level: levelNamed('elevated'), maxAge: 300, bound: true });
    expect(transferNeeds(1_000_001)).toEqual({ level: levelNamed('high'), maxAge: 300, bound: true });
    expect(payeeNeeds()).toEqual({ level: levelNamed('high'), maxAge: 300 });
  });

  it('asks for the high level for any amount to a payee added in the last 24 hours', () => {
    expect(transferNeeds(1, { newPayee: true })).toEqual({
      level: levelNamed('high'),
      maxAge: 300,
      bound: true,
    });
    expect(transferNeeds(1, { newPayee: false }).level.level).toBe('standard');
    const added = Date.parse('2026-03-01T10:00:00Z');
    expect(isNewPayee(added, added + 24 * 3600_000 - 1)).toBe(true);
    expect(isNewPayee(added, added + 24 * 3600_000)).toBe(false);
  });
});
