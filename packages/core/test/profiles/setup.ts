import type { Requirement, StepUpOptions, VerifiedToken } from '@stepup/core';
import {
  auth0,
  COGNITO_ACR,
  cognito,
  entra,
  keycloak,
  LOGTO_ACR,
  logto,
  OKTA_ACR,
  ORY_AAL,
  okta,
  ory,
  workos,
} from '@stepup/core/profiles';
import { createTestIssuer, type TestIssuer } from '@stepup/core/testing';
import { type AppSpec, now, type Route, singleApp } from '../conformance/setup.js';

export { NOW } from '../conformance/setup.js';

/** One API, one issuer per provider: each token must be judged and answered by its issuer's rules. */
export interface ProfileKit {
  readonly okta: TestIssuer;
  readonly auth0: TestIssuer;
  readonly entra: TestIssuer;
  readonly keycloak: TestIssuer;
  readonly cognito: TestIssuer;
  readonly logto: TestIssuer;
  readonly ory: TestIssuer;
  readonly workos: TestIssuer;
}

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
/** The API's application (client) ID: Entra v2 tokens carry it as `aud`. */
export const ENTRA_API = '00001111-aaaa-2222-bbbb-3333cccc4444';
export const API = 'https://api.bank.example';
export const MFA_TIME = 'https://bank.example/mfa_time';

export const ISSUERS = {
  okta: 'https://acme.okta.com/oauth2/default',
  auth0: 'https://bank.eu.auth0.com/',
  entra: `https://login.microsoftonline.com/${TENANT}/v2.0`,
  keycloak: 'https://id.bank.example/realms/bank',
  cognito: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
  logto: 'https://abc123.logto.app/oidc',
  ory: 'https://bank.projects.oryapis.com',
  workos: 'https://auth.bank.example',
} as const;

export async function createProfileKit(): Promise<ProfileKit> {
  const make = (issuer: string, audience: string, alg: 'RS256' | 'ES384' | 'ES256' = 'RS256') =>
    createTestIssuer({ issuer, audience, alg, now, expiresIn: 3600 });
  const [o, a, e, k, c, l, r, w] = await Promise.all([
    make(ISSUERS.okta, 'api://default'),
    make(ISSUERS.auth0, API),
    make(ISSUERS.entra, ENTRA_API),
    make(ISSUERS.keycloak, 'bank-api'),
    make(ISSUERS.cognito, API),
    make(ISSUERS.logto, API, 'ES384'),
    make(ISSUERS.ory, API, 'ES256'),
    make(ISSUERS.workos, API, 'ES256'),
  ]);
  return { okta: o, auth0: a, entra: e, keycloak: k, cognito: c, logto: l, ory: r, workos: w };
}

export const ROUTES = {
  reports: { operation: 'reports:read', method: 'GET', path: '/reports' },
  payments: { operation: 'payments:create', method: 'POST', path: '/payments' },
  payees: { operation: 'payees:create', method: 'POST', path: '/payees' },
  session: { operation: 'session:confirm', method: 'GET', path: '/session' },
} as const satisfies Record<string, Route>;

/**
 * `maxAge` for every issuer that can prove it: Entra cannot (its freshness is the sign-in frequency of
 * the context's Conditional Access policy), and a static `maxAge` would be refused at construction.
 */
const fresh =
  (requirement: Requirement) =>
  ({ token }: { token: VerifiedToken }): Requirement =>
    token.issuer === ISSUERS.entra ? requirement : { ...requirement, maxAge: 300 };

/** One fetch serving every test issuer's JWKS (each profile's `jwksUri` points at its issuer's). */
function jwksFetch(kit: ProfileKit): typeof fetch {
  const issuers = Object.values(kit);
  return (async (input: string | URL | Request) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const issuer = issuers.find((as) => as.jwksUri === url);
    return issuer === undefined ? new Response('not found', { status: 404 }) : issuer.fetch(input);
  }) as typeof fetch;
}

/** The engine: eight providers, two named levels, policies written once for all of them. */
export function profileOptions(kit: ProfileKit): StepUpOptions {
  return {
    issuers: [
      okta({
        issuer: ISSUERS.okta,
        audience: 'api://default',
        jwksUri: kit.okta.jwksUri,
        levels: { standard: OKTA_ACR.oneFactor, high: [OKTA_ACR.twoFactor, OKTA_ACR.phishingResistant] },
      }),
      auth0({
        domain: 'bank.eu.auth0.com',
        audience: API,
        jwksUri: kit.auth0.jwksUri,
        tokenProfile: 'rfc9068',
        baseline: 'standard',
        levels: { high: 'transfer:funds' },
        freshnessClaim: MFA_TIME,
      }),
      entra({
        tenantId: TENANT,
        audience: ENTRA_API,
        jwksUri: kit.entra.jwksUri,
        clientId: ENTRA_API,
        baseline: 'standard',
        levels: { high: 'c1' },
      }),
      keycloak({
        issuer: ISSUERS.keycloak,
        audience: 'bank-api',
        jwksUri: kit.keycloak.jwksUri,
        acrToLoa: { silver: 1, gold: 2 },
        levels: { standard: 1, high: 2 },
      }),
      cognito({
        region: 'eu-west-1',
        userPoolId: 'eu-west-1_AbCdEf123',
        audience: API,
        jwksUri: kit.cognito.jwksUri,
        levels: { standard: COGNITO_ACR.level1, high: [COGNITO_ACR.level3, COGNITO_ACR.level4] },
      }),
      logto({
        endpoint: 'https://abc123.logto.app',
        audience: API,
        jwksUri: kit.logto.jwksUri,
        levels: { standard: LOGTO_ACR.oneFactor, high: LOGTO_ACR.mfa },
      }),
      ory({
        issuer: ISSUERS.ory,
        audience: API,
        jwksUri: kit.ory.jwksUri,
        levels: { standard: ORY_AAL.aal1, high: ORY_AAL.aal2 },
      }),
      workos({ issuer: ISSUERS.workos, audience: API, jwksUri: kit.workos.jwksUri, baseline: 'standard' }),
    ],
    levels: ['standard', 'high'],
    operations: {
      'reports:read': { level: 'standard' },
      'payments:create': { level: 'high' },
      'payees:create': fresh({ level: 'high' }),
      'session:confirm': fresh({}),
    },
    realm: 'bank',
    clockTolerance: 5,
    fetch: jwksFetch(kit),
    now,
  };
}

export const PROFILE_APP: AppSpec<ProfileKit> = singleApp(profileOptions, Object.values(ROUTES));
