import { randomBytes, randomInt } from 'node:crypto';

/** A random identifier with a readable prefix, e.g. `acc_3f9c…` (96 bits). */
export function newId(prefix: 'acc' | 'pay' | 'trf'): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

/** A display account number in IBAN-like groups, e.g. `SB42 0001 2345 6789`. Not a real IBAN. */
export function newAccountNumber(): string {
  const digits = Array.from({ length: 14 }, () => randomInt(10)).join('');
  return `SB${digits}`.replace(/(.{4})(?=.)/g, '$1 ');
}
