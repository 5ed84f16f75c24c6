import { describe, expect, it } from 'vitest';
import { formatMoney, parseAmount } from '../src/money.js';

describe('money in minor units', () => {
  it('parses what customers type, without floating point', () => {
    expect(parseAmount('50')).toBe(5_000);
    expect(parseAmount('5,000')).toBe(500_000);
    expect(parseAmount('1000.01')).toBe(100_001);
    expect(parseAmount(' 12.5 ')).toBe(1_250);
    expect(parseAmount('€0.07')).toBe(7);
    expect(parseAmount('0.29')).toBe(29);
  });

  it('refuses anything else', () => {
    for (const input of ['', '0', '0.00', '-5', '1.234', 'abc', '1e5', '12.', '.5', '1234567890']) {
      expect(parseAmount(input), input).toBeUndefined();
    }
  });

  it('formats euros with signs a statement uses', () => {
    expect(formatMoney(260_940, 'EUR')).toBe('€2,609.40');
    expect(formatMoney(-420, 'EUR')).toBe('−€4.20');
    expect(formatMoney(500_000, 'EUR', { signed: true })).toBe('+€5,000.00');
  });
});
