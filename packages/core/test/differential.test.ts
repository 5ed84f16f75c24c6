/**
 * The native backend (node:crypto one-shot verify, this package's registered-claims checks) must decide
 * exactly as the jose backend (jose's `jwtVerify`) for every token: valid ones, ones whose claims jose
 * refuses, and mutated ones (bit flips in any segment, other algorithms, other keys, other encodings,
 * other sizes). Both engines run side by side on the same inputs; any difference in status, code,
 * headers or body fails the property. The conformance table also runs on both (conformance/core.test.ts).
 */
import { createStepUp, type Decision, type StepUpOptions } from '@stepup/core';
import fc from 'fast-check';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOW, now } from './helpers.js';

const ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'PS256', 'EdDSA'] as const;
type Alg = (typeof ALGORITHMS)[number];
const ISSUER = 'https://issuer.test';
const AUDIENCE = 'https://api.test';

interface Signer {
  readonly alg: Alg;
  readonly kid: string;
  readonly privateKey: CryptoKey;
}

let signers: Signer[];
let strangers: Signer[];
let engines: { native: ReturnType<typeof createStepUp>; jose: ReturnType<typeof createStepUp> };
let optionsFor: (backend: 'native' | 'jose') => StepUpOptions;

async function signer(alg: Alg, kid: string): Promise<{ signer: Signer; jwk: object }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { signer: { alg, kid, privateKey }, jwk: { ...(await exportJWK(publicKey)), kid, use: 'sig' } };
}

beforeAll(async () => {
  const own = await Promise.all(ALGORITHMS.map((alg) => signer(alg, `key-${alg}`)));
  // A second RSA key with no kid, and keys the issuer does not have (same kids, other material).
  const extra = await signer('RS256', 'rsa-2');
  const foreign = await Promise.all(ALGORITHMS.map((alg) => signer(alg, `key-${alg}`)));
  signers = [...own.map((o) => o.signer), extra.signer];
  strangers = foreign.map((o) => o.signer);
  const jwks = {
    keys: [...own.map((o) => o.jwk), { ...extra.jwk, kid: undefined }] as Record<string, unknown>[],
  };
  optionsFor = (backend) => ({
    issuers: [
      {
        issuer: ISSUER,
        audience: [AUDIENCE, 'https://other.test'],
        jwks,
        algorithms: [...ALGORITHMS, 'PS384'],
      },
    ],
    levels: [{ name: 'standard', acr: ['urn:acr:standard'] }],
    operations: { read: {} },
    clockTolerance: 5,
    cache: false,
    now,
    backend,
  });
  engines = { native: createStepUp(optionsFor('native')), jose: createStepUp(optionsFor('jose')) };
}, 60_000);

const outcome = (d: Decision) =>
  d.allowed
    ? { allowed: true, sub: d.token.subject, claims: d.token.claims }
    : { allowed: false, status: d.error.status, headers: d.error.headers, body: d.error.body };

async function bothDecide(token: string, on = engines) {
  const request = { method: 'GET', url: '/r', headers: { authorization: `Bearer ${token}` } };
  const [native, jose] = await Promise.all([
    on.native.decide('read', request),
    on.jose.decide('read', request),
  ]);
  return { native: outcome(native), jose: outcome(jose) };
}

/** A claim set both backends accept. */
const VALID = {
  iss: ISSUER,
  aud: AUDIENCE,
  sub: 'user-1',
  client_id: 'c',
  jti: 'j',
  iat: NOW,
  exp: NOW + 60,
};

// Claim values, including the wrong types and edge times jose judges.
const time = fc.oneof(
  fc.integer({ min: NOW - 400, max: NOW + 400 }),
  fc.constantFrom(NOW - 5, NOW - 6, NOW + 5, NOW + 6, NOW),
  fc.constantFrom('soon', null, true, [NOW], 1e300, -1),
);
const claimsArb = fc
  .record(
    {
      iss: fc.oneof(fc.constant(ISSUER), fc.constantFrom('https://evil.test', 7)),
      aud: fc.oneof(
        fc.constant(AUDIENCE),
        fc.constant([AUDIENCE]),
        fc.constant(['x', 'https://other.test']),
        fc.constantFrom('https://nope.test', 3, [], [3], null),
      ),
      sub: fc.oneof(fc.constant('user-1'), fc.constantFrom('', 5)),
      client_id: fc.oneof(fc.constant('c'), fc.constant(9)),
      jti: fc.oneof(fc.constant('j'), fc.constant(false)),
      iat: time,
      exp: time,
      nbf: time,
      acr: fc.oneof(fc.constant('urn:acr:standard'), fc.constantFrom('', 1)),
      auth_time: time,
      scope: fc.oneof(fc.constant('a b'), fc.constant(['a']), fc.constant(4)),
    },
    { requiredKeys: [] },
  )
  .map((claims) => ({ ...VALID, ...claims }));

async function sign(claims: object, by: Signer, header: Record<string, unknown> = {}) {
  return new SignJWT(claims as never)
    .setProtectedHeader({ alg: by.alg, typ: 'at+jwt', kid: by.kid, ...header })
    .sign(by.privateKey);
}

const b64 = (s: string) => Buffer.from(s).toString('base64url');

/** A structural change to a valid token. */
const mutationArb = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), segment: fc.nat(2), at: fc.nat(), bit: fc.nat(5) }),
  fc.record({
    kind: fc.constant('alg' as const),
    alg: fc.constantFrom(
      'ES256',
      'ES384',
      'ES512',
      'RS256',
      'RS384',
      'PS256',
      'PS384',
      'EdDSA',
      'Ed25519',
      'HS256',
      'none',
    ),
  }),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat() }),
  fc.record({
    kind: fc.constant('append' as const),
    text: fc.constantFrom('A', 'AA', 'AAA', '.', '=', '==', '+', '/'),
  }),
  fc.record({ kind: fc.constant('reencode' as const), segment: fc.nat(2) }),
  fc.record({ kind: fc.constant('signature' as const), length: fc.nat(600) }),
);

type Mutation = typeof mutationArb extends fc.Arbitrary<infer T> ? T : never;

function mutate(token: string, m: Mutation): string {
  const parts = token.split('.') as [string, string, string];
  switch (m.kind) {
    case 'flip': {
      const segment = parts[m.segment]!;
      if (segment.length === 0) return token;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const i = m.at % segment.length;
      const flipped = alphabet[alphabet.indexOf(segment[i]!) ^ (1 << m.bit)]!;
      parts[m.segment] = segment.slice(0, i) + flipped + segment.slice(i + 1);
      return parts.join('.');
    }
    case 'alg': {
      const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
      parts[0] = b64(JSON.stringify({ ...header, alg: m.alg }));
      return parts.join('.');
    }
    case 'truncate':
      return token.slice(0, Math.max(1, m.keep % token.length));
    case 'append':
      return token + m.text;
    case 'reencode': {
      // The same bytes in standard base64 with padding: another string form of one token.
      parts[m.segment] = Buffer.from(parts[m.segment]!, 'base64url').toString('base64');
      return parts.join('.');
    }
    case 'signature':
      parts[2] = Buffer.alloc(m.length, 0x5a).toString('base64url');
      return parts.join('.');
  }
}

describe('the native backend decides exactly as jose', () => {
  it('for signed claim sets of every shape, every algorithm, the issuer’s keys and strangers’', async () => {
    await fc.assert(
      fc.asyncProperty(
        claimsArb,
        fc.nat(),
        fc.boolean(),
        fc.boolean(),
        async (claims, which, stranger, noKid) => {
          const pool = stranger ? strangers : signers;
          const by = pool[which % pool.length]!;
          const token = await sign(claims, by, noKid ? { kid: undefined } : {});
          const { native, jose } = await bothDecide(token);
          expect(native).toEqual(jose);
        },
      ),
      { numRuns: 250 },
    );
  });

  it('for mutated tokens: bit flips, other algorithms, truncation, padding, other encodings, sizes', async () => {
    await fc.assert(
      fc.asyncProperty(claimsArb, fc.nat(), mutationArb, async (claims, which, mutation) => {
        const by = signers[which % signers.length]!;
        const token = mutate(await sign(claims, by), mutation);
        const { native, jose } = await bothDecide(token);
        expect(native).toEqual(jose);
      }),
      { numRuns: 400 },
    );
  });

  it('for every single-bit flip of every character of a token of each algorithm', async () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const claims = VALID;
    const differences: string[] = [];
    let refused = 0;
    for (const by of signers.slice(0, ALGORITHMS.length)) {
      const parts = (await sign(claims, by)).split('.');
      for (let segment = 0; segment < 3; segment++)
        for (let i = 0; i < parts[segment]!.length; i++)
          for (let bit = 0; bit < 6; bit++) {
            const text = parts[segment]!;
            const flipped = alphabet[alphabet.indexOf(text[i]!) ^ (1 << bit)]!;
            const token = parts
              .map((p, j) => (j === segment ? text.slice(0, i) + flipped + text.slice(i + 1) : p))
              .join('.');
            const { native, jose } = await bothDecide(token);
            if (!native.allowed) refused++;
            if (JSON.stringify(native) !== JSON.stringify(jose))
              differences.push(
                `${by.alg} segment ${segment} char ${i} bit ${bit}: ${JSON.stringify(native.body)} vs ${JSON.stringify(jose.body)}`,
              );
          }
    }
    expect(differences).toEqual([]);
    expect(refused).toBeGreaterThan(1000);
    // Every flip of six tokens through both engines: ~17 s on Node 20 here, more on Node 24 under CI's load.
  }, 120_000);

  it('for tokens too large for the shared decode buffer (the copying path), interleaved with small ones', async () => {
    // A signing input of 80,000 characters does not fit the 64 KiB buffer `verifyCompact` reuses.
    const wide = {
      native: createStepUp({ ...optionsFor('native'), maxTokenLength: 100_000 }),
      jose: createStepUp({ ...optionsFor('jose'), maxTokenLength: 100_000 }),
    };
    const claims = VALID;
    const seen: boolean[] = [];
    for (const by of signers) {
      const large = await sign(
        { ...claims, pad: 'x'.repeat(60_000) },
        by,
        by.kid === 'rsa-2' ? { kid: undefined } : {},
      );
      const small = await sign(claims, by, by.kid === 'rsa-2' ? { kid: undefined } : {});
      expect(large.length).toBeGreaterThan(70_000);
      for (const token of [large, small, mutate(large, { kind: 'flip', segment: 2, at: 7, bit: 1 }), small]) {
        const both = await bothDecide(token, wide);
        expect(both.native).toEqual(both.jose);
        seen.push(both.native.allowed);
      }
    }
    expect(seen).toEqual(signers.flatMap(() => [true, true, false, true]));
  });

  it('for header and payload bytes in any encoding: U+FFFD, a BOM, other scripts, invalid UTF-8', async () => {
    // The JSON of `object` with the bytes `b` in place of the `@` of one of its strings.
    const withBytes = (object: object, b: number[]) => {
      const json = Buffer.from(JSON.stringify(object));
      const at = json.indexOf('@');
      return Buffer.concat([json.subarray(0, at), Buffer.from(b), json.subarray(at + 1)]);
    };
    const BOM = [0xef, 0xbb, 0xbf];
    const texts: [string, (o: object) => Buffer, boolean][] = [
      ['U+FFFD itself, valid UTF-8', (o) => withBytes(o, [0xef, 0xbf, 0xbd]), true],
      ['Latin, Greek, an emoji', (o) => withBytes(o, [...Buffer.from('é Ω 😀')]), true],
      ['a leading BOM', (o) => Buffer.from([...BOM, ...withBytes(o, [0x40])]), true],
      ['a BOM inside a string', (o) => withBytes(o, BOM), true],
      ['two leading BOMs', (o) => Buffer.from([...BOM, ...BOM, ...withBytes(o, [0x40])]), false],
      ['a truncated sequence', (o) => withBytes(o, [0xc3, 0x28]), false],
      ['a lone continuation byte', (o) => withBytes(o, [0x80]), false],
      ['an overlong slash', (o) => withBytes(o, [0xc0, 0xaf]), false],
      ['an encoded surrogate', (o) => withBytes(o, [0xed, 0xa0, 0x80]), false],
      ['a Latin-1 byte', (o) => withBytes(o, [0xe9]), false],
    ];
    const by = signers[0]!; // ES256: WebCrypto's signature is JWS's r ‖ s
    const signed = async (header: Buffer, payload: Buffer) => {
      const input = `${header.toString('base64url')}.${payload.toString('base64url')}`;
      const signature = await crypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        by.privateKey,
        Buffer.from(input),
      );
      return `${input}.${Buffer.from(signature).toString('base64url')}`;
    };
    const header = { alg: by.alg, typ: 'at+jwt', kid: by.kid, x: '@' };
    const payload = { ...VALID, name: '@' };
    const results: [string, boolean, boolean][] = [];
    for (const [what, bytes] of texts) {
      const inPayload = await bothDecide(await signed(withBytes(header, [0x40]), bytes(payload)));
      const inHeader = await bothDecide(await signed(bytes(header), withBytes(payload, [0x40])));
      expect(inPayload.native).toEqual(inPayload.jose);
      expect(inHeader.native).toEqual(inHeader.jose);
      results.push([what, inPayload.native.allowed, inHeader.native.allowed]);
    }
    expect(results).toEqual(texts.map(([what, , allowed]) => [what, allowed, allowed]));
  });

  it('some generated tokens are allowed and some refused by both (the property is not vacuous)', async () => {
    const valid = await bothDecide(await sign(VALID, signers[0]!));
    expect(valid.native.allowed && valid.jose.allowed).toBe(true);
    for (const s of signers) {
      const token = await sign(VALID, s, s.kid === 'rsa-2' ? { kid: undefined } : {});
      const both = await bothDecide(token);
      expect([s.alg, both.native.allowed, both.jose.allowed]).toEqual([s.alg, true, true]);
    }
    const expired = await bothDecide(
      await sign(
        { iss: ISSUER, aud: AUDIENCE, sub: 'user-1', client_id: 'c', jti: 'j', iat: NOW - 100, exp: NOW - 6 },
        signers[1]!,
      ),
    );
    expect(expired.native).toEqual(expired.jose);
    expect(expired.native.allowed).toBe(false);
  });
});
