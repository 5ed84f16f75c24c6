/**
 * `canonicalBytes` decides canonical unpadded base64url from the decoder's output length, two `indexOf`
 * and the last character's value, relying on how Node's decoder treats characters outside its alphabet
 * (skipped) and `=` (the end). It must agree, for any string, with the definition: decoding and encoding
 * again gives back the string. Run on every Node version CI runs, so a decoder that changes fails here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalBytes } from '../src/token/compact.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const canonical = (s: string) => Buffer.from(s, 'base64url').toString('base64url') === s;

// Mostly base64url, with base64's own characters, padding, whitespace, other Latin-1 and non-Latin-1
// characters, lone surrogates and NUL mixed in.
const character = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...ALPHABET) },
  { weight: 3, arbitrary: fc.constantFrom('+', '/', '=', ' ', '\n', '\t', '.', '%', '\0', '\u007f') },
  { weight: 1, arbitrary: fc.constantFrom('\u00e9', '\u00ff', '\u0100', '\u20ac', '\ud800', '\udfff') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);
const segment = fc.array(character, { maxLength: 40 }).map((cs) => cs.join(''));

describe('canonicalBytes', () => {
  for (const transient of [true, false]) {
    it(`agrees with decode-then-encode for any string (${transient ? 'shared buffer' : 'own buffer'})`, () => {
      fc.assert(
        fc.property(segment, (s) => {
          const bytes = canonicalBytes(s, transient);
          expect(bytes !== undefined).toBe(canonical(s));
          if (bytes !== undefined) expect(Buffer.from(bytes).toString('base64url')).toBe(s);
        }),
        { numRuns: 20_000 },
      );
    });
  }

  it('refuses each kind of non-canonical form, and takes the canonical one', () => {
    const bytes = Buffer.from([0xfb, 0xff, 0xbf, 0x01]);
    const good = bytes.toString('base64url'); // '-_-_AQ'
    expect(canonicalBytes(good, false)?.equals(bytes)).toBe(true);
    for (const bad of [
      bytes.toString('base64'), // '+/+/AQ=='
      `${good}==`,
      good.replace('-', '+'),
      good.replace('_', '/'),
      `${good.slice(0, 3)} ${good.slice(3)}`,
      `${good.slice(0, -1)}R`, // the last character's unused bits set
      `${good}AAA`, // 1 mod 4
      `${good.slice(0, 2)}=${good.slice(2)}`,
      `${good}\u0100`,
      `${good.slice(0, -1)}\u0151`, // decoded by its low byte, 'Q'
    ])
      expect([bad, canonicalBytes(bad, false)]).toEqual([bad, undefined]);
  });
});
