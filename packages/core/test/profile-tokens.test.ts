import { createStepUp, type StepUpOptions } from '@stepup/core';
import { auth0, entra } from '@stepup/core/profiles';
import { describe, expect, it } from 'vitest';
import { get, issuer, NOW, now } from './helpers.js';
import { API_ID, TENANT, thrown } from './profile-helpers.js';

describe('freshness an issuer cannot prove is refused, never checked against auth_time', () => {
  const engineWith = (
    issuerOptions: StepUpOptions['issuers'][number],
    operations: StepUpOptions['operations'],
  ) => createStepUp({ issuers: [issuerOptions], levels: ['standard', 'high'], operations, now });

  it('auth0 without freshnessClaim: a static maxAge fails at construction, saying why', () => {
    const options = auth0({
      domain: 'b.auth0.com',
      audience: 'x',
      tokenProfile: 'rfc9068',
      levels: { high: 's' },
    });
    const error = thrown(() => engineWith(options, { pay: { level: 'high', maxAge: 300 } }));
    expect(error.code).toBe('ERR_CONFIG_INVALID');
    expect(error.details.path).toBe('operations.pay.maxAge');
    expect(error.message).toContain('in-session MFA step-up does not advance it');
  });

  it('entra: a static maxAge fails at construction; a computed one is a programming error per request', async () => {
    const as = await issuer({ issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`, audience: API_ID });
    const options = {
      ...entra({ tenantId: TENANT, audience: API_ID, levels: { high: 'c1' } }),
      jwksUri: undefined,
      jwks: as.jwks,
      algorithms: ['ES256' as const],
    };
    const error = thrown(() => engineWith(options, { pay: { maxAge: 60 } }));
    expect(error.details.path).toBe('operations.pay.maxAge');
    expect(error.message).toContain('sign-in frequency');
    const engine = engineWith(options, { pay: () => ({ level: 'high', maxAge: 60 }) });
    const token = await as.authorization({ acrs: ['c1'] }, { typ: 'JWT', omit: ['client_id', 'jti'] });
    await expect(engine.decide('pay', get(token))).rejects.toMatchObject({
      code: 'ERR_POLICY_INVALID',
      details: { operation: 'pay', path: 'maxAge' },
    });
  });
});

describe('token shapes a profile reads are type-checked (invalid_token, never a pass)', () => {
  it.each([
    ['acrs as a string', { acrs: 'c1' }, 'The access token has an invalid acrs claim'],
    ['acrs with an empty context', { acrs: [''] }, 'The access token has an invalid acrs claim'],
  ])('entra: %s', async (_, claims, description) => {
    const as = await issuer({ issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`, audience: API_ID });
    const options = {
      ...entra({ tenantId: TENANT, audience: API_ID, levels: { high: 'c1' } }),
      jwksUri: undefined,
      jwks: as.jwks,
      algorithms: ['ES256' as const],
    };
    const engine = createStepUp({
      issuers: [options],
      levels: ['high'],
      operations: { pay: { level: 'high' } },
      now,
    });
    const decision = await engine.decide('pay', get(await as.authorization(claims, { typ: 'JWT' })));
    expect(decision.allowed).toBe(false);
    if (!decision.allowed)
      expect(decision.error.body).toEqual({
        error: 'invalid_token',
        error_description: description,
        code: 'ERR_TOKEN_CLAIMS',
      });
  });

  it.each([
    ['a string', '2026-11-21T11:59:00Z'],
    ['in the future', NOW + 3600],
  ])('auth0: an MFA time that is %s', async (_, value) => {
    const as = await issuer({ issuer: 'https://b.auth0.com/', audience: 'x' });
    const profile = auth0({
      domain: 'b.auth0.com',
      audience: 'x',
      tokenProfile: 'rfc9068',
      levels: { high: 's' },
      freshnessClaim: 'https://b/mfa',
    });
    const engine = createStepUp({
      issuers: [{ ...profile, jwksUri: undefined, jwks: as.jwks, algorithms: ['ES256'] }],
      levels: ['high'],
      operations: { pay: { level: 'high', maxAge: 300 } },
      now,
    });
    const decision = await engine.decide(
      'pay',
      get(await as.authorization({ scope: 's', 'https://b/mfa': value })),
    );
    expect(decision.allowed ? undefined : decision.error.code).toBe('ERR_TOKEN_CLAIMS');
  });

  it('auth0: the Auth0 token profile (typ JWT, azp, no jti) only when chosen', async () => {
    const as = await issuer({ issuer: 'https://b.auth0.com/', audience: 'x' });
    const build = (tokenProfile: 'auth0' | 'rfc9068') => {
      const profile = auth0({
        domain: 'b.auth0.com',
        audience: 'x',
        tokenProfile,
        baseline: 'standard',
        levels: { high: 's' },
      });
      const issuerOptions = { ...profile, jwksUri: undefined, jwks: as.jwks, algorithms: ['ES256' as const] };
      return createStepUp({
        issuers: [issuerOptions],
        levels: ['standard', 'high'],
        operations: { read: { level: 'standard' } },
        now,
      });
    };
    const token = get(
      await as.authorization(
        { azp: 'client-1', gty: 'password' },
        { typ: 'JWT', omit: ['client_id', 'jti'] },
      ),
    );
    expect((await build('auth0').decide('read', token)).allowed).toBe(true);
    const refused = await build('rfc9068').decide('read', token);
    expect(refused.allowed ? undefined : refused.error.code).toBe('ERR_TOKEN_TYPE');
  });
});
