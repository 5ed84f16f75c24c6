import { describe, expect, it } from 'vitest';
import {
  ACR_HIGH,
  ACR_STANDARD,
  acrSatisfies,
  BANK_ACR_VALUES,
  BANK_LEVELS,
  HIGH_MAX_AGE,
  HIGH_VALUE_THRESHOLD,
  isBankAcr,
  LEVEL_WORDS,
  levelNamed,
  levelOfAcr,
  payeeNeeds,
  requiredAcr,
  transferNeeds,
} from '../src/index.js';

describe('the levels', () => {
  it('are the two acr values, weakest first, with their words', () => {
    expect(BANK_ACR_VALUES).toEqual(['urn:stepup:bank:acr:standard', 'urn:stepup:bank:acr:high']);
    expect(BANK_LEVELS.map((l) => [l.level, l.credential])).toEqual([
      ['standard', 'passkey'],
      ['high', 'security key'],
    ]);
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
    expect(acrSatisfies(ACR_HIGH, ACR_HIGH)).toBe(true);
    expect(acrSatisfies(ACR_STANDARD, ACR_HIGH)).toBe(false);
    expect(acrSatisfies(undefined, ACR_STANDARD)).toBe(false);
    expect(acrSatisfies('urn:other', ACR_STANDARD)).toBe(false);
  });

  it('read acr_values as a set: the lowest known value is what must be reached', () => {
    expect(requiredAcr(undefined)).toEqual({ acr: ACR_STANDARD, unmet: false });
    expect(requiredAcr('  ')).toEqual({ acr: ACR_STANDARD, unmet: false });
    expect(requiredAcr(`urn:other ${ACR_HIGH}`)).toEqual({ acr: ACR_HIGH, unmet: false });
    expect(requiredAcr(`${ACR_HIGH} ${ACR_STANDARD}`)).toEqual({ acr: ACR_STANDARD, unmet: false });
    expect(requiredAcr('urn:other')).toEqual({ unmet: true });
  });
});

describe('the policy', () => {
  it('asks for the high level, recently, above the threshold and for a new payee', () => {
    expect(HIGH_VALUE_THRESHOLD).toBe(100_000);
    expect(transferNeeds(100_000)).toEqual({ level: levelNamed('standard') });
    expect(transferNeeds(100_001)).toEqual({ level: levelNamed('high'), maxAge: HIGH_MAX_AGE });
    expect(payeeNeeds()).toEqual({ level: levelNamed('high'), maxAge: 300 });
  });
});
