// Runs the shared iOS vectors (../vectors/vectors.json, the same file BankKit's XCTest tests read) through
// the TypeScript side: challenges through @stepup/core's parser and through oauth4webapi (a third-party
// client), PKCE pairs through node:crypto and oauth4webapi, authorize URLs through WHATWG URL.
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseChallenges } from '@stepup/core';
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const challenge = z.strictObject({
  scheme: z.string(),
  params: z.record(z.string(), z.string()),
  token68: z.string().optional(),
});
const challengeCase = z.strictObject({
  name: z.string(),
  source: z.string(),
  header: z.string(),
  expected: z.array(challenge).optional(),
  error: z.literal('malformed').optional(),
  oauth4webapi: z.strictObject({ accepts: z.array(challenge), note: z.string() }).optional(),
});
const vectorFile = z.object({
  challenges: z.array(challengeCase.refine((c) => (c.expected === undefined) !== (c.error === undefined))),
  pkce: z.array(
    z.strictObject({
      name: z.string(),
      source: z.string(),
      randomOctets: z.array(z.number().int().min(0).max(255)).optional(),
      verifier: z.string(),
      challenge: z.string(),
    }),
  ),
  pkceInvalid: z.array(z.strictObject({ name: z.string(), verifier: z.string() })),
  authorizeUrls: z.object({
    cases: z.array(
      z.strictObject({
        name: z.string(),
        input: z.strictObject({
          authorizationEndpoint: z.url(),
          clientId: z.string(),
          redirectUri: z.string(),
          scope: z.string(),
          state: z.string(),
          nonce: z.string(),
          codeChallenge: z.string(),
          resource: z.string().optional(),
          acrValues: z.array(z.string()).optional(),
          maxAge: z.number().int().min(0).optional(),
        }),
        expected: z.url(),
      }),
    ),
  }),
});

const vectorsPath = fileURLToPath(new URL('../vectors/vectors.json', import.meta.url));
const vectors = vectorFile.parse(JSON.parse(readFileSync(vectorsPath, 'utf8')));

/** What oauth4webapi makes of a header: its parsed challenges, or `undefined` when it finds none. */
async function oauth4webapiChallenges(header: string) {
  const customFetch = async () =>
    new Response(null, { status: 401, headers: { 'www-authenticate': header } });
  try {
    await oauth.protectedResourceRequest(
      'token',
      'GET',
      new URL('https://api.example/'),
      undefined,
      undefined,
      {
        [oauth.customFetch]: customFetch,
      },
    );
    return undefined;
  } catch (error) {
    if (!(error instanceof oauth.WWWAuthenticateChallengeError)) throw error;
    return error.cause.map(({ scheme, parameters, token68 }) =>
      token68 === undefined ? { scheme, params: parameters } : { scheme, params: parameters, token68 },
    );
  }
}

describe('shared vectors file', () => {
  it('is the file the Swift package bundles', () => {
    const bundled = fileURLToPath(
      new URL('../BankKit/Tests/BankKitTests/Vectors/vectors.json', import.meta.url),
    );
    expect(realpathSync(vectorsPath)).toBe(realpathSync(bundled));
  });

  it('covers what the issue asks for', () => {
    const { challenges } = vectors;
    expect(challenges.filter((c) => c.error).length).toBeGreaterThanOrEqual(10);
    expect(challenges.some((c) => (c.expected?.length ?? 0) >= 3)).toBe(true);
    expect(challenges.some((c) => c.header.includes('\\"'))).toBe(true);
    expect(challenges.some((c) => c.expected?.some((e) => e.token68 !== undefined))).toBe(true);
    expect(challenges.some((c) => c.expected?.some((e) => e.params.error === 'insufficient_claims'))).toBe(
      true,
    );
    expect(challenges.some((c) => c.expected?.some((e) => e.scheme === 'dpop' && e.params.algs))).toBe(true);
    expect(challenges.filter((c) => c.source.includes('RFC 9470')).length).toBeGreaterThanOrEqual(4);
    expect(vectors.pkce.some((p) => p.source === 'RFC 7636 Appendix B')).toBe(true);
  });
});

describe('challenges through @stepup/core parseChallenges', () => {
  for (const vector of vectors.challenges) {
    it(vector.name, () => {
      if (vector.expected) {
        expect(parseChallenges(vector.header)).toStrictEqual(vector.expected);
      } else {
        expect(() => parseChallenges(vector.header)).toThrow(
          expect.objectContaining({ code: 'ERR_CHALLENGE_MALFORMED' }),
        );
      }
    });
  }
});

describe('challenges through oauth4webapi', () => {
  for (const vector of vectors.challenges) {
    // Where oauth4webapi is more lenient than RFC 9110, the vector records what it accepts.
    const expected = vector.oauth4webapi?.accepts ?? vector.expected;
    const title = vector.oauth4webapi ? `${vector.name} (lenient: ${vector.oauth4webapi.note})` : vector.name;
    it(title, async () => {
      expect(await oauth4webapiChallenges(vector.header)).toStrictEqual(expected);
    });
  }
});

describe('PKCE pairs (RFC 7636)', () => {
  const verifierSyntax = /^[A-Za-z0-9\-._~]{43,128}$/;
  for (const vector of vectors.pkce) {
    it(vector.name, async () => {
      expect(vector.verifier).toMatch(verifierSyntax);
      if (vector.randomOctets) {
        expect(Buffer.from(vector.randomOctets).toString('base64url')).toBe(vector.verifier);
      }
      const digest = createHash('sha256').update(vector.verifier, 'ascii').digest('base64url');
      expect(digest).toBe(vector.challenge);
      expect(await oauth.calculatePKCECodeChallenge(vector.verifier)).toBe(vector.challenge);
    });
  }
  for (const vector of vectors.pkceInvalid) {
    it(`refuses: ${vector.name}`, () => {
      expect(vector.verifier).not.toMatch(verifierSyntax);
    });
  }
});

describe('authorize URLs', () => {
  for (const { name, input, expected } of vectors.authorizeUrls.cases) {
    it(name, () => {
      const url = new URL(expected);
      const endpoint = new URL(input.authorizationEndpoint);
      expect(url.origin + url.pathname).toBe(endpoint.origin + endpoint.pathname);
      const pairs: [string, string][] = [
        ...endpoint.searchParams.entries(),
        ['response_type', 'code'],
        ['client_id', input.clientId],
        ['redirect_uri', input.redirectUri],
        ['scope', input.scope],
        ['state', input.state],
        ['nonce', input.nonce],
        ['code_challenge', input.codeChallenge],
        ['code_challenge_method', 'S256'],
      ];
      if (input.resource !== undefined) pairs.push(['resource', input.resource]);
      if (input.acrValues !== undefined) pairs.push(['acr_values', input.acrValues.join(' ')]);
      if (input.maxAge !== undefined) pairs.push(['max_age', String(input.maxAge)]);
      expect([...url.searchParams.entries()]).toStrictEqual(pairs);
      // One encoding, byte for byte the same in Swift: unreserved characters as they are, everything
      // else %XX in upper case (so a space is %20, never "+", and ":" "/" "+" are always encoded).
      for (const component of url.search.slice(1).split('&')) {
        expect(component).toMatch(/^[A-Za-z0-9\-._~]+=(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*$/);
      }
    });
  }
});
