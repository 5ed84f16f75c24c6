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
import { API_ID, TENANT, thrown } from './profile-helpers.js';

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
