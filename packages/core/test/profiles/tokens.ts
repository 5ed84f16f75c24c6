import type { JWTPayload } from 'jose';
import type { CaseRequest, Route } from '../conformance/setup.js';
import { type ProfileKit, TENANT } from './setup.js';

export type Mint = (kit: ProfileKit) => Promise<string>;
export const call =
  (route: Route, authorization: Mint) =>
  async (kit: ProfileKit): Promise<CaseRequest> => ({
    route,
    authorization: await authorization(kit),
    ...(route.method === 'POST' ? { body: { amount: 250_000 } } : {}),
  });

// Tokens in each provider's documented shape (claims, header `typ`, level and time claims).
/** Okta custom AS access token: header `{ alg, kid }` (no typ), `cid`/`uid`, `scp` array, no `client_id`. */
export const okta = (claims: JWTPayload) => (kit: ProfileKit) =>
  kit.okta.authorization(
    {
      ver: 1,
      jti: 'AT.NovJtQ_NrJ6cgy3h1-638A',
      cid: '0oa48e74ox4t7mQJX0g7',
      uid: '00u47ijy7sRLaeSdC0g7',
      scp: ['openid'],
      ...claims,
    },
    { typ: null, omit: ['client_id'] },
  );
/** Auth0 API with the RFC 9068 token profile; the MFA time comes from a post-login Action. */
export const auth0 = (claims: JWTPayload) => (kit: ProfileKit) =>
  kit.auth0.authorization({ scope: 'openid read:accounts', ...claims });
/** Entra v2 access token: `typ: JWT`, `azp`, `uti`, `scp` string, `acrs` array, no `client_id`/`jti`. */
export const entra = (claims: JWTPayload) => (kit: ProfileKit) =>
  kit.entra.authorization(
    {
      ver: '2.0',
      azp: 'b1f3c7a0-1f4e-4c1e-9d3e-7b2a6c5d4e3f',
      azpacr: '0',
      tid: TENANT,
      oid: 'a1b2c3d4-0000-1111-2222-333344445555',
      scp: 'Reports.Read',
      uti: 'AbCdEf123',
      ...claims,
    },
    { typ: 'JWT', omit: ['client_id', 'jti'] },
  );
/** Keycloak access token: `typ: JWT` header, `azp`, `typ: Bearer` claim, `acr` the mapped ACR name. */
export const keycloak = (claims: JWTPayload) => (kit: ProfileKit) =>
  kit.keycloak.authorization(
    { typ: 'Bearer', azp: 'bank-web', sid: 'b3c1', scope: 'openid profile', ...claims },
    { typ: 'JWT', omit: ['client_id'] },
  );
/** Cognito access token with resource binding (`aud`): no typ header, `token_use: access`. */
export const cognito =
  (claims: JWTPayload, omit: string[] = []) =>
  (kit: ProfileKit) =>
    kit.cognito.authorization(
      {
        token_use: 'access',
        scope: 'openid',
        username: 'janedoe',
        origin_jti: 'f1e2',
        event_id: 'e9d8',
        ...claims,
      },
      { typ: null, omit },
    );
export const logto = (claims: JWTPayload) => (kit: ProfileKit) =>
  kit.logto.authorization({ scope: 'read', ...claims });
export const ory = (claims: JWTPayload) => (kit: ProfileKit) =>
  kit.ory.authorization({ scp: ['offline_access'], ext: {}, ...claims });
export const workos = (claims: JWTPayload) => (kit: ProfileKit) =>
  kit.workos.authorization({
    sid: 'session_01HQSXZGF8FHF7A9ZZFCW4387R',
    org_id: 'org_01HRDMC6CM357W30QMHMQ96Q0S',
    ...claims,
  });
