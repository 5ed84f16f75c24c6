import { createStepUp, StepUpError, type StepUpOptions } from '@stepup/core';
import {
  AUTH0_FRESHNESS,
  auth0,
  cognito,
  ENTRA_FRESHNESS,
  entra,
  keycloak,
  logto,
  OKTA_ACR,
  okta,
  ory,
  workos,
} from '@stepup/core/profiles';
import { describe, expect, it } from 'vitest';
import { get, issuer, NOW, now } from './helpers.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const API_ID = '00001111-aaaa-2222-bbbb-3333cccc4444';

/** The error a call throws; fails the test when it does not throw a StepUpError. */
function thrown(call: () => unknown): StepUpError {
  try {
    call();
  } catch (error) {
    if (error instanceof StepUpError) return error;
    throw error;
  }
  throw new Error('no error thrown');
}

describe('each profile fills in the documented issuer options, visibly', () => {
  // Expected values are the providers' documented URLs and token formats, written out.
  it('okta: /v1/keys, RS256, no typ (cid marks access tokens), cid instead of client_id', () => {
    const levels = { standard: OKTA_ACR.oneFactor, high: [OKTA_ACR.twoFactor, 'phr'] };
    expect(
      okta({ issuer: 'https://acme.okta.com/oauth2/default/', audience: 'api://default', levels }),
    ).toEqual({
      issuer: 'https://acme.okta.com/oauth2/default',
      audience: 'api://default',
      jwksUri: 'https://acme.okta.com/oauth2/default/v1/keys',
      algorithms: ['RS256'],
      legacyClaims: true,
      untypedTokens: { claim: 'cid' },
      assurance: {
        from: 'acr',
        levels: { standard: ['urn:okta:loa:1fa:any'], high: ['urn:okta:loa:2fa:any', 'phr'] },
        freshness: 'auth_time',
        challenge: 'rfc9470',
      },
    });
  });

  it('auth0: the token profile decides typ and claims; without an MFA-time claim, no freshness', () => {
    const base = {
      domain: 'bank.eu.auth0.com',
      audience: 'https://api.bank.example',
      levels: { high: 'transfer:funds' },
    };
    expect(auth0({ ...base, tokenProfile: 'auth0' })).toEqual({
      issuer: 'https://bank.eu.auth0.com/',
      audience: 'https://api.bank.example',
      jwksUri: 'https://bank.eu.auth0.com/.well-known/jwks.json',
      algorithms: ['RS256'],
      legacyJwtTyp: true,
      legacyClaims: true,
      assurance: {
        from: 'scope',
        levels: { high: ['transfer:funds'] },
        freshness: { none: AUTH0_FRESHNESS },
        challenge: 'rfc9470',
      },
    });
    const strict = auth0({
      ...base,
      tokenProfile: 'rfc9068',
      evidence: 'amr',
      freshnessClaim: 'https://b/mfa',
    });
    expect(strict).toMatchObject({ legacyJwtTyp: false, legacyClaims: false });
    expect(strict.assurance).toMatchObject({ from: 'amr', freshness: { claim: 'https://b/mfa' } });
  });

  it('entra: v2 and v1 issuers, the tenant keys, typ JWT, acrs, no freshness, the claims challenge', () => {
    const options = entra({
      tenantId: TENANT,
      audience: API_ID,
      levels: { high: 'c1' },
      baseline: 'standard',
    });
    expect(options).toEqual({
      issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      audience: API_ID,
      jwksUri: `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`,
      algorithms: ['RS256'],
      legacyJwtTyp: true,
      legacyClaims: true,
      assurance: {
        from: 'acrs',
        levels: { high: ['c1'] },
        baseline: 'standard',
        freshness: { none: ENTRA_FRESHNESS },
        challenge: {
          format: 'entra',
          authorizationUri: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`,
          realm: TENANT,
        },
      },
    });
    const v1 = entra({ tenantId: TENANT, audience: 'api://bank', levels: { high: 'c1' }, tokenVersion: 1 });
    expect(v1.issuer).toBe(`https://sts.windows.net/${TENANT}/`);
  });

  it('keycloak: acr values from the ACR-to-LoA mapping, numbers for unnamed LoAs', () => {
    const options = keycloak({
      issuer: 'https://id.bank.example/realms/bank',
      audience: 'bank-api',
      acrToLoa: { gold: 2, silver: 1, platinum: 3 },
      levels: { high: 2, standard: 1 },
    });
    expect(options).toMatchObject({
      jwksUri: 'https://id.bank.example/realms/bank/protocol/openid-connect/certs',
      legacyJwtTyp: true,
      legacyClaims: true,
      assurance: { from: 'acr', levels: { standard: ['silver', '1'], high: ['gold', '2', 'platinum', '3'] } },
    });
    const bare = keycloak({
      issuer: 'https://id.bank.example/realms/bank',
      audience: 'x',
      levels: { standard: 1 },
    });
    expect(bare.assurance?.levels).toEqual({ standard: ['1'] });
  });

  it('cognito, logto, ory, workos', () => {
    const levels = { standard: 'a' };
    expect(
      cognito({ region: 'eu-west-1', userPoolId: 'eu-west-1_AbC123', audience: 'x', levels }),
    ).toMatchObject({
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123',
      jwksUri: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/jwks.json',
      untypedTokens: { claim: 'token_use', value: 'access' },
    });
    expect(logto({ endpoint: 'https://abc.logto.app/', audience: 'x', levels })).toMatchObject({
      issuer: 'https://abc.logto.app/oidc',
      jwksUri: 'https://abc.logto.app/oidc/jwks',
      algorithms: ['ES384', 'RS256'],
    });
    expect(ory({ issuer: 'https://p.projects.oryapis.com/', audience: 'x', levels })).toMatchObject({
      issuer: 'https://p.projects.oryapis.com/',
      jwksUri: 'https://p.projects.oryapis.com/.well-known/jwks.json',
    });
    expect(workos({ issuer: 'https://auth.bank.example', audience: 'x' })).toEqual({
      issuer: 'https://auth.bank.example',
      audience: 'x',
      jwksUri: 'https://auth.bank.example/oauth2/jwks',
      assurance: { from: 'none', freshness: 'auth_time', challenge: 'rfc9470' },
    });
  });
});

describe('profiles refuse what would weaken a check, at the call, naming the field', () => {
  it.each([
    [
      'okta ifpossible (one factor for users without a second one)',
      () =>
        okta({
          issuer: 'https://a.okta.com/oauth2/default',
          audience: 'x',
          levels: { high: OKTA_ACR.twoFactorIfPossible },
        }),
      'levels.high',
    ],
    [
      'an entra context outside c1…c99',
      () => entra({ tenantId: TENANT, audience: 'x', levels: { high: 'c100' } }),
      'levels.high',
    ],
    [
      'an entra tenant that is not a GUID',
      () => entra({ tenantId: 'contoso', audience: 'x', levels: { high: 'c1' } }),
      'tenantId',
    ],
    [
      'auth0 without a token profile',
      () => auth0({ domain: 'b.auth0.com', audience: 'x', levels: { high: 's' } } as never),
      'tokenProfile',
    ],
    [
      'an auth0 domain with a path',
      () => auth0({ domain: 'b.auth0.com/x', audience: 'x', tokenProfile: 'rfc9068', levels: { high: 's' } }),
      'domain',
    ],
    [
      'two keycloak levels on one LoA',
      () => keycloak({ issuer: 'https://k/realms/r', audience: 'x', levels: { standard: 1, high: 1 } }),
      'levels.high',
    ],
    [
      'a cognito region typo',
      () => cognito({ region: 'euwest1', userPoolId: 'eu-west-1_A1', audience: 'x', levels: { s: 'a' } }),
      'region',
    ],
    ['no levels', () => logto({ endpoint: 'https://a.logto.app', audience: 'x', levels: {} }), 'levels'],
    ['an http issuer', () => workos({ issuer: 'http://auth.bank.example', audience: 'x' }), 'issuer'],
    [
      'an unknown option',
      () => ory({ issuer: 'https://o', audience: 'x', levels: { s: 'aal1' }, typ: 'JWT' } as never),
      'typ',
    ],
  ])('%s', (_, call, path) => {
    const error = thrown(call);
    expect(error.code).toBe('ERR_CONFIG_INVALID');
    expect(error.details.path).toBe(path);
  });

  it('okta ifpossible is accepted when asked for explicitly', () => {
    const options = okta({
      issuer: 'https://a.okta.com/oauth2/default',
      audience: 'x',
      levels: { standard: [OKTA_ACR.oneFactor, OKTA_ACR.twoFactorIfPossible] },
      acceptIfPossible: true,
    });
    expect(options.assurance?.levels).toEqual({
      standard: [OKTA_ACR.oneFactor, OKTA_ACR.twoFactorIfPossible],
    });
  });
});

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
