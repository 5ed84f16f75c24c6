import {
  type Challenge,
  parseChallenges,
  quote,
  readStepUpChallenge,
  StepUpError,
  sanitizeDescription,
  serializeChallenge,
  serializeChallenges,
} from '@stepup/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWithOauth4webapi } from './oauth4webapi.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof StepUpError ? error.code : `not a StepUpError: ${String(error)}`;
  }
  return 'no error';
};

describe('serializeChallenge', () => {
  it('quotes every value and escapes backslash and double quote', () => {
    expect(
      serializeChallenge({
        scheme: 'Bearer',
        params: { realm: 'a "b" \\c', acr_values: 'urn:x:y https://a/b' },
      }),
    ).toBe('Bearer realm="a \\"b\\" \\\\c", acr_values="urn:x:y https://a/b"');
  });
  it('writes a bare scheme and token68', () => {
    expect(serializeChallenge({ scheme: 'Bearer', params: {} })).toBe('Bearer');
    expect(serializeChallenge({ scheme: 'Basic', params: {}, token68: 'YWxhZGRpbg==' })).toBe(
      'Basic YWxhZGRpbg==',
    );
  });
  it('joins several challenges with a comma', () => {
    expect(
      serializeChallenges([
        { scheme: 'Bearer', params: { error: 'invalid_token' } },
        { scheme: 'DPoP', params: { algs: 'ES256 PS256' } },
      ]),
    ).toBe('Bearer error="invalid_token", DPoP algs="ES256 PS256"');
  });
  it('refuses header injection, bad names and bad token68', () => {
    expect(codeOf(() => quote('a\r\nSet-Cookie: x=1'))).toBe('ERR_CHALLENGE_INVALID');
    expect(codeOf(() => serializeChallenge({ scheme: 'Bear er', params: {} }))).toBe('ERR_CHALLENGE_INVALID');
    expect(codeOf(() => serializeChallenge({ scheme: 'Bearer', params: { 'a b': 'x' } }))).toBe(
      'ERR_CHALLENGE_INVALID',
    );
    expect(codeOf(() => serializeChallenge({ scheme: 'Basic', params: {}, token68: 'a b' }))).toBe(
      'ERR_CHALLENGE_INVALID',
    );
    expect(codeOf(() => serializeChallenge({ scheme: 'Basic', params: { a: 'b' }, token68: 'ab' }))).toBe(
      'ERR_CHALLENGE_INVALID',
    );
  });
});

describe('sanitizeDescription', () => {
  it('removes what RFC 6750 §3 forbids in error_description', () => {
    expect(sanitizeDescription('bad "token"\\ here\n\tnow é')).toBe('bad token here now');
    expect(sanitizeDescription('"""')).toBe('');
  });
});

describe('parseChallenges', () => {
  it('reads an RFC 9470 challenge', () => {
    expect(
      parseChallenges(
        'Bearer error="insufficient_user_authentication", error_description="A different authentication level is required", acr_values="myACR"',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          error: 'insufficient_user_authentication',
          error_description: 'A different authentication level is required',
          acr_values: 'myACR',
        },
      },
    ]);
  });
  it('reads several challenges, token68, unquoted values, empty list elements and odd spacing', () => {
    expect(
      parseChallenges(
        ' , Newauth realm="apps", type=1, title="Login to \\"apps\\"",Basic realm="simple", Negotiate YIIB==,DPoP algs="ES256", Bearer',
      ),
    ).toEqual([
      { scheme: 'newauth', params: { realm: 'apps', type: '1', title: 'Login to "apps"' } },
      { scheme: 'basic', params: { realm: 'simple' } },
      { scheme: 'negotiate', params: {}, token68: 'YIIB==' },
      { scheme: 'dpop', params: { algs: 'ES256' } },
      { scheme: 'bearer', params: {} },
    ]);
  });
  it('lower-cases scheme and parameter names and keeps values', () => {
    expect(parseChallenges('BEARER Error = "X", Scope=Y')).toEqual([
      { scheme: 'bearer', params: { error: 'X', scope: 'Y' } },
    ]);
  });
  it('reads the Microsoft Entra dialect', () => {
    expect(
      parseChallenges(
        'Bearer realm="", authorization_uri="https://login.example/authorize", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: '',
          authorization_uri: 'https://login.example/authorize',
          error: 'insufficient_claims',
          claims: 'eyJhY2Nlc3NfdG9rZW4iOnt9fQ==',
        },
      },
    ]);
  });
  it('returns nothing for an empty header', () => {
    expect(parseChallenges('')).toEqual([]);
  });
  it.each([
    ['unterminated quote', 'Bearer error="oops'],
    ['missing comma between parameters', 'Bearer a="1" b="2"'],
    ['duplicate parameter', 'Bearer a="1", A="2"'],
    ['no value', 'Bearer x="1", a='],
    ['scheme glued to a parameter', 'Bearer,="x"'],
    ['control character in a quoted string', 'Bearer a="x\u0001"'],
    ['no space after the scheme', 'Bearer"x"'],
    ['garbage', '"quoted"'],
    ['dangling escape', 'Bearer a="x\\'],
  ])('refuses %s', (_, header) => {
    expect(codeOf(() => parseChallenges(header))).toBe('ERR_CHALLENGE_MALFORMED');
  });
});

describe('readStepUpChallenge', () => {
  it('finds the step-up challenge among others', () => {
    expect(
      readStepUpChallenge(
        'DPoP algs="ES256", Bearer realm="bank", error="insufficient_user_authentication", error_description="x", acr_values="urn:a  urn:b", max_age="300", scope="t:w"',
      ),
    ).toEqual({ acrValues: ['urn:a', 'urn:b'], maxAge: 300, description: 'x', scope: ['t:w'] });
  });
  it('ignores other errors and invalid max_age', () => {
    expect(readStepUpChallenge('Bearer error="invalid_token"')).toBeUndefined();
    expect(readStepUpChallenge('Bearer error="insufficient_user_authentication", max_age="-1"')).toEqual({
      acrValues: [],
    });
  });
});

// Values as RFC 9470 allows them: acr values are space-free printable strings (URNs, URLs, anything
// with quotes and backslashes); the description is any printable ASCII before sanitizing.
const acrValue = fc.stringMatching(/^[\x21-\x7e]{1,40}$/);
const description = fc.string({
  unit: fc.constantFrom(...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))),
});

describe('serializer → parser round trip (property)', () => {
  it('any acr values and description survive our parser and oauth4webapi', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(acrValue, { minLength: 1, maxLength: 4 }),
        description,
        fc.nat(10_000_000),
        async (acrs, text, maxAge) => {
          const challenge: Challenge = {
            scheme: 'Bearer',
            params: {
              error: 'insufficient_user_authentication',
              error_description: sanitizeDescription(text),
              acr_values: acrs.join(' '),
              max_age: String(maxAge),
            },
          };
          const header = serializeChallenges([challenge, { scheme: 'DPoP', params: { algs: 'ES256' } }]);
          const ours = parseChallenges(header);
          expect(ours).toEqual([
            { scheme: 'bearer', params: challenge.params },
            { scheme: 'dpop', params: { algs: 'ES256' } },
          ]);
          const theirs = await parseWithOauth4webapi(header);
          expect(theirs?.map((c) => ({ scheme: c.scheme, params: c.parameters }))).toEqual(ours);
          expect(readStepUpChallenge(header)?.acrValues).toEqual(acrs);
        },
      ),
      { numRuns: 300 },
    );
  });
});
