import { generateKeyPairSync } from 'node:crypto';
import { createStepUp, type Decision, StepUpError, type StepUpOptions } from '@stepup/core';
import { createTestIssuer, type TestIssuer } from '@stepup/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProofKey, signProof } from './conformance/proof.js';
import { ACR, get, LEVELS, NOW, now } from './helpers.js';

let as: TestIssuer;
beforeAll(async () => {
  as = await createTestIssuer({ alg: 'PS256', now });
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
const codeOf = (d: Decision) => (d.allowed ? 'allowed' : d.error.code);
const base = () => ({
  issuers: [as.config({ algorithms: undefined })],
  levels: LEVELS,
  operations: { read: { level: 'standard' } },
  now,
});
const dpop = { origin: 'https://api.test' };

describe('dpop options', () => {
  it.each([
    ['an origin with a path', { dpop: { origin: 'https://api.test/v1' } }, 'dpop.origin'],
    ['an origin with a query', { dpop: { origin: 'https://api.test?x' } }, 'dpop.origin'],
    ['an origin with credentials', { dpop: { origin: 'https://u:p@api.test' } }, 'dpop.origin'],
    ['an http origin that is not loopback', { dpop: { origin: 'http://api.test' } }, 'dpop.origin'],
    ['an origin that is not a URL', { dpop: { origin: 'api.test' } }, 'dpop.origin'],
    ['HS256 for proofs', { dpop: { ...dpop, algorithms: ['HS256'] } }, 'dpop.algorithms.0'],
    ['no proof algorithm', { dpop: { ...dpop, algorithms: [] } }, 'dpop.algorithms'],
    ['a short nonce secret', { dpop: { ...dpop, nonce: { secret: 'short' } } }, 'dpop.nonce.secret'],
    ['a replay store without consume', { dpop: { ...dpop, replayStore: {} } }, 'dpop.replayStore'],
    ['an unknown dpop option', { dpop: { ...dpop, requried: true } }, 'dpop.requried'],
    ['a proof lifetime of 0', { dpop: { ...dpop, proofMaxAge: 0 } }, 'dpop.proofMaxAge'],
  ])('refuses %s, naming the field', (_, patch, path) => {
    const error = configError({ ...base(), ...patch });
    expect([error.code, error.details.path]).toEqual(['ERR_CONFIG_INVALID', path]);
  });

  it('accepts a loopback http origin and normalizes a trailing slash away', () => {
    expect(() => createStepUp({ ...base(), dpop: { origin: 'http://localhost:3000/' } })).not.toThrow();
  });
});

describe('metadata options (RFC 9728)', () => {
  it.each([
    [
      'a resource no issuer has as audience',
      { metadata: { resource: 'https://other.test' } },
      'metadata.resource',
    ],
    ['a resource with a query', { metadata: { resource: 'https://api.test/?a=1' } }, 'metadata.resource'],
    ['a resource with a fragment', { metadata: { resource: 'https://api.test/#a' } }, 'metadata.resource'],
    [
      'a resourceMetadata that is not the metadata URL',
      { metadata: { resource: 'https://api.test' }, resourceMetadata: 'https://api.test/meta' },
      'resourceMetadata',
    ],
    ['an unknown member', { metadata: { resource: 'https://api.test', scopes: ['a'] } }, 'metadata.scopes'],
  ])('refuses %s, naming the field', (_, patch, path) => {
    const error = configError({ ...base(), ...patch });
    expect([error.code, error.details.path]).toEqual(['ERR_CONFIG_INVALID', path]);
  });

  it('builds the document once, with its well-known path, and adds resource_metadata to every challenge', async () => {
    const stepUp = createStepUp({
      ...base(),
      issuers: [as.config({ audience: 'https://api.test/v1/' })],
      metadata: { resource: 'https://api.test/v1/', resourceName: 'Bank API', maxAge: 60 },
      dpop: { ...dpop, required: true },
    });
    expect(stepUp.metadata).toMatchObject({
      path: '/.well-known/oauth-protected-resource/v1',
      url: 'https://api.test/.well-known/oauth-protected-resource/v1',
      headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=60' },
    });
    expect(JSON.parse(stepUp.metadata!.body)).toEqual({
      resource: 'https://api.test/v1/',
      authorization_servers: ['https://issuer.test'],
      bearer_methods_supported: ['header'],
      resource_name: 'Bank API',
      dpop_signing_alg_values_supported: ['ES256', 'PS256', 'EdDSA', 'Ed25519'],
      dpop_bound_access_tokens_required: true,
    });
    const d = await stepUp.decide('read', get());
    expect(d.allowed ? undefined : d.error.headers['www-authenticate']).toBe(
      'DPoP resource_metadata="https://api.test/.well-known/oauth-protected-resource/v1", algs="ES256 PS256 EdDSA Ed25519"',
    );
  });

  it('has no metadata without the option', () => {
    expect(createStepUp(base()).metadata).toBeUndefined();
  });
});

describe("profile 'fapi2' (FAPI 2.0 Security Profile at the resource server)", () => {
  const fapi = () => ({ ...base(), profile: 'fapi2' as const, dpop });
  const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });

  it.each([
    [
      'RS256 for an issuer',
      () => ({ issuers: [as.config({ algorithms: ['PS256', 'RS256'] })] }),
      'issuers.0.algorithms',
    ],
    ['ES384 for proofs', () => ({ dpop: { ...dpop, algorithms: ['ES256', 'ES384'] } }), 'dpop.algorithms'],
    ['Bearer tokens', () => ({ dpop: { ...dpop, required: false } }), 'dpop.required'],
    ['a clock tolerance over 60 s', () => ({ clockTolerance: 61 }), 'clockTolerance'],
    [
      'an RSA key under 2048 bits',
      () => ({ issuers: [as.config({ jwks: { keys: [{ ...rsa1024, kid: 'weak' }] } as never })] }),
      'issuers.0.jwks.keys.0',
    ],
  ])('refuses %s, naming the field and the profile', (_, patch, path) => {
    const error = configError({ ...fapi(), ...patch() });
    expect([error.code, error.details.path]).toEqual(['ERR_CONFIG_INVALID', path]);
    expect(error.message).toContain(`${path}:`);
    expect(error.message).toContain('weakens profile fapi2');
  });

  it('needs sender-constrained tokens: dpop is required', () => {
    const { dpop: _, ...options } = fapi();
    const error = configError(options);
    expect([error.details.path, error.message]).toEqual([
      'dpop',
      'Invalid stepup options: dpop: is required by profile fapi2 (sender-constrained tokens)',
    ]);
  });

  it('defaults: DPoP required, PS256/ES256/EdDSA, timestamps at most 10 s ahead', async () => {
    const stepUp = createStepUp(fapi());
    const key = await createProofKey('ES256');
    const send = async (claims: Record<string, unknown>, scheme = 'DPoP') => {
      const token = await as.mint({ acr: ACR.standard, cnf: { jkt: key.jkt }, ...claims });
      const proof = await signProof({ key, token, htm: 'GET', htu: 'https://api.test/r', iat: NOW });
      return stepUp.decide('read', {
        method: 'GET',
        url: '/r',
        headers: { authorization: `${scheme} ${token}`, dpop: proof },
      });
    };
    expect(codeOf(await send({}))).toBe('allowed');
    expect(codeOf(await send({ iat: NOW + 10 }))).toBe('allowed');
    expect(codeOf(await send({ iat: NOW + 11 }))).toBe('ERR_TOKEN_CLAIMS');
    expect(codeOf(await stepUp.decide('read', get(await as.authorization({ acr: ACR.standard }))))).toBe(
      'ERR_DPOP_REQUIRED',
    );
    // An issuer without an explicit list gets PS256, ES256, EdDSA: its RS256 tokens are refused.
    const rs = await createTestIssuer({ alg: 'RS256', now });
    const strict = createStepUp({ ...fapi(), issuers: [rs.config({ algorithms: undefined })] });
    const token = await rs.mint({ acr: ACR.standard, cnf: { jkt: key.jkt } });
    const proof = await signProof({ key, token, htm: 'GET', htu: 'https://api.test/r', iat: NOW });
    const d = await strict.decide('read', {
      method: 'GET',
      url: '/r',
      headers: { authorization: `DPoP ${token}`, dpop: proof },
    });
    expect(codeOf(d)).toBe('ERR_TOKEN_ALGORITHM');
  });

  it('accepts a clock tolerance of 60 s and a full FAPI configuration', () => {
    expect(() =>
      createStepUp({ ...fapi(), clockTolerance: 60, dpop: { ...dpop, algorithms: ['PS256', 'Ed25519'] } }),
    ).not.toThrow();
  });

  it('refuses an unknown profile', () => {
    expect(configError({ ...base(), profile: 'fapi1' }).details.path).toBe('profile');
  });
});
