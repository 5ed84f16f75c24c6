import { createStepUp, StepUpError, type StepUpOptions } from '@stepup/core';
import type { TestIssuer } from '@stepup/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { issuer, LEVELS } from './helpers.js';

let as: TestIssuer;
beforeAll(async () => {
  as = await issuer();
});

function configError(options: unknown): StepUpError {
  try {
    createStepUp(options as StepUpOptions);
  } catch (error) {
    if (error instanceof StepUpError) return error;
    throw error;
  }
  throw new Error('createStepUp accepted the options');
}

const base = () => ({ issuers: [as.config()], levels: LEVELS, operations: { read: { level: 'standard' } } });

describe('options are validated at construction', () => {
  it.each([
    [
      'a typo in a requirement',
      { operations: { pay: { level: 'high', maxage: 300 } } },
      'operations.pay.maxage',
    ],
    ['a string maxAge', { operations: { pay: { level: 'high', maxAge: '300' } } }, 'operations.pay.maxAge'],
    ['a string amr', { operations: { pay: { amr: 'hwk' } } }, 'operations.pay.amr'],
    ['maxAge 0', { operations: { pay: { level: 'high', maxAge: 0 } } }, 'operations.pay.maxAge'],
    ['a negative maxAge', { operations: { pay: { maxAge: -5 } } }, 'operations.pay.maxAge'],
    ['an unknown level', { operations: { pay: { level: 'platinum' } } }, 'operations.pay.level'],
    ['level and acr together', { operations: { pay: { level: 'high', acr: ['x'] } } }, 'operations.pay.acr'],
    ['an acr with a quote', { operations: { pay: { acr: ['a"b'] } } }, 'operations.pay.acr.0'],
    ['a duplicate level', { levels: [...LEVELS, { name: 'high', acr: ['urn:other'] }] }, 'levels.2.name'],
    [
      'an acr in two levels',
      { levels: [...LEVELS, { name: 'top', acr: [LEVELS[0]!.acr[0]!] }] },
      'levels.2.acr',
    ],
    ['no issuers', { issuers: [] }, 'issuers'],
    ['an unknown top-level option', { clockTolerence: 5 }, 'clockTolerence'],
    ['a realm with a newline', { realm: 'bank\r\nSet-Cookie: a=1' }, 'realm'],
    [
      'a resource_metadata URL with a tab',
      { resourceMetadata: 'https://api.test/.well-known/x\t' },
      'resourceMetadata',
    ],
    ['a huge clock tolerance', { clockTolerance: 3600 }, 'clockTolerance'],
    ['cache: true (only false or an object)', { cache: true }, 'cache'],
  ])('refuses %s, naming the field', (_, patch, path) => {
    const error = configError({ ...base(), ...patch });
    expect(error.code).toBe('ERR_CONFIG_INVALID');
    expect(error.details.path).toBe(path);
    expect(error.message).toContain(path);
  });

  it('says what was expected for a wrong-typed value inside a requirement, and reports every issue', () => {
    const error = configError({
      ...base(),
      operations: { pay: { level: 'high', maxAge: '300', amr: 'hwk' } },
      clockTolerance: -1,
    });
    expect(error.details.issues?.map((i) => i.path)).toEqual([
      'operations.pay.maxAge',
      'operations.pay.amr',
      'clockTolerance',
    ]);
    expect(error.message).toMatch(/operations\.pay\.maxAge: Invalid input: expected number, received string/);
    expect(error.message).toMatch(/operations\.pay\.amr: Invalid input: expected array, received string/);
  });

  it.each([
    ['alg none', { algorithms: ['none'] }],
    ['HS256', { algorithms: ['HS256'] }],
    ['an empty algorithm list', { algorithms: [] }],
    ['both jwks and jwksUri', { jwksUri: 'https://issuer.test/jwks' }],
    ['neither jwks nor jwksUri', { jwks: undefined }],
    ['an http JWKS URI off localhost', { jwks: undefined, jwksUri: 'http://issuer.test/jwks' }],
    ['no audience', { audience: undefined }],
    ['a typo in an issuer option', { legacyJwtType: true }],
    ['a private key in jwks', 'private'],
    ['a key node:crypto cannot import', { jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }] } }],
    ['a cooldown of 0', { jwks: undefined, jwksUri: 'https://issuer.test/jwks', jwksCooldown: 0 }],
    [
      'a max age shorter than the cooldown',
      { jwks: undefined, jwksUri: 'https://issuer.test/jwks', jwksCacheMaxAge: 5000, jwksCooldown: 10_000 },
    ],
    ['a duplicate issuer', 'dup'],
  ])('refuses an issuer with %s', (_, patch) => {
    const privateJwk = { ...as.jwks.keys[0], d: 'AAAA' };
    const issuers =
      patch === 'dup'
        ? [as.config(), as.config()]
        : patch === 'private'
          ? [{ ...as.config(), jwks: { keys: [privateJwk] } }]
          : [{ ...as.config(), ...(patch as object) }];
    expect(configError({ ...base(), issuers }).code).toBe('ERR_CONFIG_INVALID');
  });

  it('accepts http JWKS URIs on localhost, and acr sets without levels', () => {
    const stepUp = createStepUp({
      issuers: [{ ...as.remoteConfig(), jwksUri: 'http://localhost:4000/jwks' }],
      operations: { a: { acr: ['urn:a'] }, b: { scope: ['x', 'y'] }, c: { amr: ['hwk'] } },
    });
    expect(stepUp.operations).toEqual(['a', 'b', 'c']);
  });

  it('reports an unknown operation as a programming error', async () => {
    const stepUp = createStepUp(base());
    expect(stepUp.hasOperation('read')).toBe(true);
    expect(stepUp.hasOperation('raed')).toBe(false);
    expect(() => stepUp.assertOperation('raed')).toThrowError(
      expect.objectContaining({ code: 'ERR_OPERATION_UNKNOWN' }),
    );
    await expect(stepUp.decide('raed', { method: 'GET', url: '/', headers: {} })).rejects.toMatchObject({
      code: 'ERR_OPERATION_UNKNOWN',
      status: 500,
    });
  });
});
