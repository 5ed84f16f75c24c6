import { describe, expect, it } from 'vitest';
import { ACR_HIGH, ACR_STANDARD, acrForClass, acrSatisfies, requiredAcr } from '../src/assurance.js';

describe('the bank levels', () => {
  it('maps classes to levels: high, medium → standard, low and rejected → none', () => {
    expect([acrForClass('high'), acrForClass('medium'), acrForClass('low'), acrForClass('rejected')]).toEqual(
      [ACR_HIGH, ACR_STANDARD, undefined, undefined],
    );
  });

  it('orders the levels: high satisfies standard, not the other way round, unknown satisfies nothing', () => {
    expect(acrSatisfies(ACR_HIGH, ACR_STANDARD)).toBe(true);
    expect(acrSatisfies(ACR_HIGH, ACR_HIGH)).toBe(true);
    expect(acrSatisfies(ACR_STANDARD, ACR_HIGH)).toBe(false);
    expect(acrSatisfies(undefined, ACR_STANDARD)).toBe(false);
    expect(acrSatisfies('urn:example:gold', ACR_STANDARD)).toBe(false);
  });

  it('reads acr_values as a set: the lowest known level listed is required; only unknown values is unmet', () => {
    expect(requiredAcr(undefined)).toEqual({ acr: ACR_STANDARD, unmet: false });
    expect(requiredAcr('')).toEqual({ acr: ACR_STANDARD, unmet: false });
    expect(requiredAcr(ACR_HIGH)).toEqual({ acr: ACR_HIGH, unmet: false });
    expect(requiredAcr(`${ACR_HIGH} ${ACR_STANDARD}`)).toEqual({ acr: ACR_STANDARD, unmet: false });
    expect(requiredAcr(`urn:example:gold ${ACR_HIGH}`)).toEqual({ acr: ACR_HIGH, unmet: false });
    expect(requiredAcr('urn:example:gold')).toEqual({ unmet: true });
  });
});
