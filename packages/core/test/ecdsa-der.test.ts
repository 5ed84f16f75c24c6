/**
 * ECDSA signatures verify in their DER form with a bare `KeyObject` (`ecdsaToDer`, `verifyCompact`), not
 * through node:crypto's `dsaEncoding: 'ieee-p1363'` option. The encoder must write exactly the DER that
 * OpenSSL would (checked against an encoder built another way, on BigInts), and every signature, valid or
 * mutated, must get the same answer from both forms.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CompactJws, ecdsaToDer, verifyCompact } from '../src/token/compact.js';

const CURVES = [
  { alg: 'ES256', curve: 'prime256v1', hash: 'sha256', size: 32 },
  { alg: 'ES384', curve: 'secp384r1', hash: 'sha384', size: 48 },
  { alg: 'ES512', curve: 'secp521r1', hash: 'sha512', size: 66 },
] as const;

/** The DER of one non-negative integer, from its value: minimal two's complement (X.690 §8.3). */
function integer(bytes: Uint8Array): number[] {
  const value = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  const content = [...Buffer.from(hex, 'hex')];
  return [0x02, content.length, ...content];
}

function reference(p1363: Uint8Array): Buffer {
  const half = p1363.length / 2;
  const content = [...integer(p1363.subarray(0, half)), ...integer(p1363.subarray(half))];
  const length = content.length < 0x80 ? [content.length] : [0x81, content.length];
  return Buffer.from([0x30, ...length, ...content]);
}

// Halves biased to the edges: leading zero bytes, a high bit, all zero, all 0xff.
const half = (size: number) =>
  fc.oneof(
    fc.uint8Array({ minLength: size, maxLength: size }),
    fc
      .tuple(fc.integer({ min: 0, max: size }), fc.uint8Array({ minLength: size, maxLength: size }))
      .map(([zeros, bytes]) => bytes.map((b, i) => (i < zeros ? 0 : b))),
    fc.constantFrom(new Uint8Array(size), new Uint8Array(size).fill(0xff), new Uint8Array(size).fill(0x80)),
  );

const jws = (signingInput: string, signature: Uint8Array): CompactJws => ({
  header: {},
  payload: {},
  signingInput,
  encodedSignature: Buffer.from(signature).toString('base64url'),
});

describe('ecdsaToDer', () => {
  for (const { alg, size } of CURVES) {
    it(`writes the DER OpenSSL writes, for any ${alg} r ‖ s`, () => {
      fc.assert(
        fc.property(half(size), half(size), (r, s) => {
          const p1363 = Buffer.concat([r, s]);
          expect(Buffer.from(ecdsaToDer(p1363)).toString('hex')).toBe(reference(p1363).toString('hex'));
        }),
        { numRuns: 2000 },
      );
    });
  }

  it('uses the long length form only past 127 bytes (P-521 with full-size integers)', () => {
    const full = new Uint8Array(132).fill(0x80);
    const der = ecdsaToDer(full);
    expect([...der.subarray(0, 3)]).toEqual([0x30, 0x81, 2 * (2 + 67)]);
    const short = new Uint8Array(132);
    short[65] = 1;
    short[131] = 1;
    expect([...ecdsaToDer(short)]).toEqual([0x30, 6, 0x02, 1, 1, 0x02, 1, 1]);
  });
});

describe('ECDSA verification in DER form', () => {
  for (const { alg, curve, hash, size } of CURVES) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
    const key: KeyObject = createPublicKey({ key: publicKey.export({ format: 'jwk' }), format: 'jwk' });
    const input = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0';
    // Signatures until some have an integer with a leading zero byte (DER drops it) and, where the
    // curve's size is a whole number of bytes, one with a high bit (DER adds a zero byte before it).
    const signatures: Buffer[] = [];
    const seen = { zero: false, high: curve === 'secp521r1' };
    while (signatures.length < 100 || !(seen.zero && seen.high)) {
      const signature = sign(hash, Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
      if (signature[0] === 0 || signature[size] === 0) seen.zero = true;
      if (signature[0]! >= 0x80 || signature[size]! >= 0x80) seen.high = true;
      if (signatures.length < 100 || signature[0] === 0 || signature[size] === 0 || signature[0]! >= 0x80)
        signatures.push(signature);
      if (signatures.length > 20_000) throw new Error('no edge case among 20,000 signatures');
    }
    const byOption = (signature: Uint8Array) =>
      verify(hash, Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }, signature);

    it(`accepts every valid ${alg} signature, as the ieee-p1363 option does`, () => {
      for (const signature of signatures) {
        expect([verifyCompact(jws(input, signature), hash, key, 2 * size), byOption(signature)]).toEqual([
          true,
          true,
        ]);
      }
    });

    it(`decides every mutated ${alg} signature as the ieee-p1363 option does`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...signatures),
          fc.oneof(
            fc.record({ flip: fc.integer({ min: 0, max: 2 * size * 8 - 1 }) }),
            fc.record({ zero: fc.constantFrom('r', 's'), bytes: fc.integer({ min: 1, max: size }) }),
            fc.record({ fill: fc.constantFrom(0, 0xff), at: fc.constantFrom(0, size) }),
          ),
          (signature, m) => {
            const mutated = Buffer.from(signature);
            if ('flip' in m) mutated[m.flip >> 3]! ^= 1 << (m.flip & 7);
            else if ('zero' in m)
              mutated.fill(0, m.zero === 'r' ? 0 : size, (m.zero === 'r' ? 0 : size) + m.bytes);
            else mutated.fill(m.fill, m.at, m.at + size);
            expect(verifyCompact(jws(input, mutated), hash, key, 2 * size)).toBe(byOption(mutated));
          },
        ),
        { numRuns: 300 },
      );
    });

    it(`refuses an ${alg} signature of any other length`, () => {
      const signature = signatures[0]!;
      for (const length of [0, 2 * size - 1, 2 * size + 1, 2 * size + 2]) {
        const other = Buffer.alloc(length);
        signature.copy(other, 0, 0, Math.min(length, signature.length));
        expect(verifyCompact(jws(input, other), hash, key, 2 * size)).toBe(false);
      }
    });
  }
});
