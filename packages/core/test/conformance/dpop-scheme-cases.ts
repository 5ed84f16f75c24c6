import { expect } from 'vitest';
import type { ConformanceCase, Expected } from './cases.js';
import { ALGS, call, inBearer, inDpop, ok, standard, strict } from './dpop-request.js';
import { ACR, DPOP_ROUTES, NOW } from './setup.js';

const NONCE_DESCRIPTION = 'The DPoP proof must carry the nonce this server issued';
/** 401 use_dpop_nonce in the strict API's DPoP challenge, with a DPoP-Nonce header. */
const useNonce: Expected = {
  ...strict(`, error="use_dpop_nonce", error_description="${NONCE_DESCRIPTION}"`, {
    error: 'use_dpop_nonce',
    error_description: NONCE_DESCRIPTION,
    code: 'ERR_DPOP_NONCE_REQUIRED',
  }),
  dpopNonce: true,
};

/**
 * RFC 9449 §7 and §9 at the resource server: the downgrade rules between the schemes, challenges,
 * RFC 9470 under the DPoP scheme, server nonces, RFC 9728 metadata.
 */
export const DPOP_SCHEME_CASES: readonly ConformanceCase[] = [
  // §7.1–7.2: the scheme and the binding.
  {
    name: 'DPoP: a bound token presented as Bearer',
    request: (kit) => call(kit, { scheme: 'Bearer', proof: false }),
    expect: inBearer(
      'invalid_token',
      'ERR_TOKEN_BOUND',
      'The access token is sender-constrained: present it with its proof, not as a Bearer token',
    ),
  },
  {
    name: 'DPoP: a Bearer token (no cnf) under the DPoP scheme, with a valid proof',
    request: (kit) => call(kit, { bound: false }),
    expect: inDpop('invalid_token', 'ERR_TOKEN_NOT_BOUND', 'The access token is not bound to a DPoP key'),
  },
  {
    name: 'DPoP API: a Bearer token without binding is accepted as Bearer',
    request: (kit) => call(kit, { scheme: 'Bearer', bound: false, proof: false }),
    expect: ok('standard'),
  },
  {
    name: 'DPoP API: no credentials',
    request: async () => ({ route: DPOP_ROUTES.accounts }),
    expect: {
      status: 401,
      wwwAuthenticate: `Bearer realm="bank", DPoP realm="bank", algs="${ALGS}"`,
      body: { error_description: 'Authentication required', code: 'ERR_TOKEN_MISSING' },
    },
  },
  {
    name: 'DPoP: an invalid token is refused before its proof is looked at',
    request: (kit) => call(kit, { claims: { aud: 'https://other.test' }, proof: { htm: 'PUT' } }),
    expect: inDpop('invalid_token', 'ERR_TOKEN_AUDIENCE', 'The access token is not for this resource'),
  },
  // RFC 9470 under the DPoP scheme.
  {
    name: 'DPoP: step-up challenge in the DPoP scheme',
    request: (kit) => call(kit, { route: DPOP_ROUTES.payees, body: {} }),
    expect: {
      status: 401,
      wwwAuthenticate: `Bearer realm="bank", DPoP realm="bank", error="insufficient_user_authentication", error_description="A stronger authentication is required (level high)", acr_values="${ACR.high}", max_age="300", algs="${ALGS}"`,
      body: {
        error: 'insufficient_user_authentication',
        error_description: 'A stronger authentication is required (level high)',
        code: 'ERR_ACR_INSUFFICIENT',
        acr_values: ACR.high,
        max_age: 300,
      },
    },
  },
  {
    name: 'DPoP: the high level passes under the DPoP scheme',
    request: (kit) =>
      call(kit, { route: DPOP_ROUTES.payees, claims: { acr: ACR.high, auth_time: NOW - 10 }, body: {} }),
    expect: ok('high'),
  },
  // Strict API: DPoP required, server nonces (RFC 9449 §9), RFC 9728 resource_metadata.
  {
    name: 'strict: a Bearer token is refused, with the DPoP challenge only',
    request: (kit) => call(kit, { route: DPOP_ROUTES.strict, scheme: 'Bearer', bound: false, proof: false }),
    expect: strict('', {
      error_description: 'DPoP-bound access tokens are required',
      code: 'ERR_DPOP_REQUIRED',
    }),
  },
  {
    name: 'strict: a proof without nonce gets use_dpop_nonce and a DPoP-Nonce',
    request: (kit) => call(kit, { route: DPOP_ROUTES.strict }),
    expect: useNonce,
  },
  {
    name: 'strict: a made-up nonce gets use_dpop_nonce',
    request: (kit) => call(kit, { route: DPOP_ROUTES.strict, proof: { claims: { nonce: 'A'.repeat(43) } } }),
    expect: useNonce,
  },
  {
    name: 'strict: the nonce round trip (retry with the DPoP-Nonce received)',
    request: async (kit, send) => {
      const first = await send(await call(kit, { route: DPOP_ROUTES.strict }));
      expect(first.status).toBe(401);
      return call(kit, { route: DPOP_ROUTES.strict, proof: { claims: { nonce: first.dpopNonce } } });
    },
    expect: { ...ok('standard'), dpopNonce: false },
  },
  {
    name: 'strict: the protected resource metadata (RFC 9728)',
    request: async () => ({ route: DPOP_ROUTES.metadata }),
    expect: {
      status: 200,
      wwwAuthenticate: undefined,
      body: {
        resource: 'https://api.test',
        authorization_servers: ['https://issuer.test', 'https://partner.test'],
        bearer_methods_supported: ['header'],
        scopes_supported: ['accounts:read', 'transfers:write'],
        dpop_signing_alg_values_supported: ['ES256', 'PS256', 'EdDSA'],
        dpop_bound_access_tokens_required: true,
      },
    },
  },
  // The Bearer-only API refuses a bound token too: it cannot check the binding.
  {
    name: 'Bearer API: a DPoP-bound token presented as Bearer',
    request: async (kit) => ({
      route: { api: 'main', operation: 'accounts:read', method: 'GET', path: '/accounts' },
      authorization: await kit.main.authorization({ ...standard, cnf: { jkt: kit.dpopKey.jkt } }),
    }),
    expect: {
      status: 401,
      wwwAuthenticate:
        'Bearer realm="bank", error="invalid_token", error_description="The access token is sender-constrained: present it with its proof, not as a Bearer token"',
      body: {
        error: 'invalid_token',
        error_description:
          'The access token is sender-constrained: present it with its proof, not as a Bearer token',
        code: 'ERR_TOKEN_BOUND',
      },
    },
  },
];
