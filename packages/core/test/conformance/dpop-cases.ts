import { expect } from 'vitest';
import type { ConformanceCase, Expected } from './cases.js';
import { createProofKey, type ProofSpec, signProof } from './proof.js';
import { ACR, type CaseRequest, DPOP_ORIGIN, DPOP_ROUTES, type Kit, NOW, type Route } from './setup.js';

// Expected values are written out here, independently of the serializer under test.
const ALGS = 'ES256 PS256 EdDSA';
const METADATA = 'https://api.test/.well-known/oauth-protected-resource';
/** An error in the DPoP challenge, the Bearer challenge beside it without one (RFC 9449 §7.2). */
const inDpop = (error: string, code: string, description: string, status = 401): Expected => ({
  status,
  wwwAuthenticate: `Bearer realm="bank", DPoP realm="bank", error="${error}", error_description="${description}", algs="${ALGS}"`,
  body: { error, error_description: description, code },
});
const badProof = (description: string) => inDpop('invalid_dpop_proof', 'ERR_DPOP_PROOF_INVALID', description);
/** An error in the Bearer challenge, the DPoP challenge beside it without one. */
const inBearer = (error: string, code: string, description: string, status = 401): Expected => ({
  status,
  wwwAuthenticate: `Bearer realm="bank", error="${error}", error_description="${description}", DPoP realm="bank", algs="${ALGS}"`,
  body: { error, error_description: description, code },
});
/** The strict API: DPoP only, with resource_metadata. */
const strict = (params: string, body: unknown): Expected => ({
  status: 401,
  wwwAuthenticate: `DPoP realm="bank"${params}, resource_metadata="${METADATA}", algs="${ALGS}"`,
  body,
});
const ok = (level: string): Expected => ({
  status: 200,
  wwwAuthenticate: undefined,
  body: { sub: 'user-1', level },
});

const standard = { acr: ACR.standard, auth_time: NOW - 60, scope: 'accounts:read' };

interface DpopCall {
  readonly route?: Route;
  /** Claims of the access token; its `cnf.jkt` is the bound key's unless `bound` is false. */
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly bound?: boolean;
  readonly scheme?: 'DPoP' | 'Bearer';
  /** Changes to the proof; `false` sends none. */
  readonly proof?: Partial<ProofSpec> | false;
  /** The `DPoP` header value(s) instead of the proof. */
  readonly dpop?: string | readonly string[];
  readonly headers?: Readonly<Record<string, string>>;
  readonly instance?: 1 | 2;
  readonly body?: unknown;
}

/** A request to a DPoP API: a token bound to `kit.dpopKey`, and a proof for exactly this request. */
async function call(kit: Kit, options: DpopCall = {}): Promise<CaseRequest> {
  const route = options.route ?? DPOP_ROUTES.accounts;
  const cnf = options.bound === false ? {} : { cnf: { jkt: kit.dpopKey.jkt } };
  const token = await kit.main.mint({ ...standard, ...cnf, ...options.claims });
  const proof =
    options.proof === false
      ? undefined
      : await signProof({
          key: kit.dpopKey,
          token,
          htm: route.method,
          htu: `${DPOP_ORIGIN}${route.path}`,
          iat: NOW,
          ...options.proof,
        });
  const dpop = options.dpop ?? proof;
  return {
    route,
    authorization: `${options.scheme ?? 'DPoP'} ${token}`,
    ...(dpop === undefined ? {} : { dpop }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
    ...(options.instance === undefined ? {} : { instance: options.instance }),
    ...(options.body === undefined ? {} : { body: options.body }),
  };
}

const htu = (path: string) => `${DPOP_ORIGIN}${path}`;
const accounts = DPOP_ROUTES.accounts.path;

/**
 * RFC 9449 at the resource server: every check of §4.3 failing alone, replays (on one instance and
 * across two sharing Redis), the `iat` window's edges, `htu` normalization as the OpenID conformance
 * suite probes it, nonces, the §7.2 downgrade rules, RFC 9470 under the DPoP scheme, RFC 9728.
 */
export const DPOP_CASES: readonly ConformanceCase[] = [
  // Valid requests, in every form the RFC allows.
  { name: 'DPoP: valid ES256 proof', request: (kit) => call(kit), expect: ok('standard') },
  {
    name: 'DPoP: valid PS256 and EdDSA proofs',
    request: async (kit, send) => {
      const ps = await call(kit, { claims: { cnf: { jkt: kit.psKey.jkt } }, proof: { key: kit.psKey } });
      expect((await send(ps)).status).toBe(200);
      return call(kit, { claims: { cnf: { jkt: kit.edKey.jkt } }, proof: { key: kit.edKey } });
    },
    expect: ok('standard'),
  },
  {
    name: 'DPoP: lower-case scheme',
    request: async (kit) => {
      const req = await call(kit);
      return { ...req, authorization: `dpop ${String(req.authorization).slice('DPoP '.length)}` };
    },
    expect: ok('standard'),
  },
  {
    name: 'DPoP: extra header members and claims are ignored',
    request: (kit) => call(kit, { proof: { header: { tx_id: 1 }, claims: { tx_id_key: 2 } } }),
    expect: ok('standard'),
  },
  // §4.3 step 1: exactly one proof; a proof needs the DPoP scheme.
  {
    name: 'DPoP: no proof',
    request: (kit) => call(kit, { proof: false }),
    expect: inDpop('invalid_request', 'ERR_REQUEST_MALFORMED', 'The DPoP scheme needs a DPoP proof', 400),
  },
  {
    name: 'DPoP: two proofs',
    request: async (kit) => {
      const first = await call(kit);
      const second = await call(kit);
      return { ...first, dpop: [first.dpop as string, second.dpop as string] };
    },
    expect: inDpop('invalid_request', 'ERR_REQUEST_MALFORMED', 'Only one DPoP proof is allowed', 400),
  },
  {
    name: 'DPoP: a proof sent with the Bearer scheme',
    request: (kit) => call(kit, { scheme: 'Bearer', bound: false }),
    expect: inBearer(
      'invalid_request',
      'ERR_REQUEST_MALFORMED',
      'A DPoP proof needs the DPoP authorization scheme',
      400,
    ),
  },
  // Step 2: a well-formed JWT.
  {
    name: 'DPoP: the proof is not a JWT (two segments)',
    request: async (kit) => {
      const req = await call(kit);
      return { ...req, dpop: (req.dpop as string).split('.').slice(0, 2).join('.') };
    },
    expect: badProof('The DPoP proof is not a JWT'),
  },
  // Steps 3 and 4: required members, typ.
  {
    name: 'DPoP: typ missing',
    request: (kit) => call(kit, { proof: { header: { typ: null } } }),
    expect: badProof('The DPoP proof typ must be dpop+jwt'),
  },
  {
    name: 'DPoP: typ wrong',
    request: (kit) => call(kit, { proof: { header: { typ: 'dpop+jwt+wrongyousee' } } }),
    expect: badProof('The DPoP proof typ must be dpop+jwt'),
  },
  {
    name: 'DPoP: jwk missing',
    request: (kit) => call(kit, { proof: { header: { jwk: null } } }),
    expect: badProof('The DPoP proof has no jwk'),
  },
  {
    name: 'DPoP: jti missing',
    request: (kit) => call(kit, { proof: { claims: { jti: null } } }),
    expect: badProof('The DPoP proof has no valid jti'),
  },
  {
    name: 'DPoP: htm missing',
    request: (kit) => call(kit, { proof: { claims: { htm: null } } }),
    expect: badProof('The DPoP proof has no valid htm'),
  },
  {
    name: 'DPoP: htu missing',
    request: (kit) => call(kit, { proof: { claims: { htu: null } } }),
    expect: badProof('The DPoP proof has no valid htu'),
  },
  {
    name: 'DPoP: iat missing',
    request: (kit) => call(kit, { proof: { claims: { iat: null } } }),
    expect: badProof('The DPoP proof has no valid iat'),
  },
  {
    name: 'DPoP: ath missing',
    request: (kit) => call(kit, { proof: { claims: { ath: null } } }),
    expect: badProof('The DPoP proof has no valid ath'),
  },
  // Step 5: an asymmetric algorithm on the allow-list.
  {
    name: 'DPoP: alg none',
    request: async (kit) => {
      const req = await call(kit);
      const [, payload] = (req.dpop as string).split('.');
      const header = Buffer.from(
        JSON.stringify({ alg: 'none', typ: 'dpop+jwt', jwk: kit.dpopKey.publicJwk }),
      ).toString('base64url');
      return { ...req, dpop: `${header}.${payload}.` };
    },
    expect: badProof('The DPoP proof algorithm is not accepted'),
  },
  {
    name: 'DPoP: RS256, not on the allow-list',
    request: async (kit) => {
      const rs = await createProofKey('RS256');
      return call(kit, { claims: { cnf: { jkt: rs.jkt } }, proof: { key: rs } });
    },
    expect: badProof('The DPoP proof algorithm is not accepted'),
  },
  // Steps 6 and 7: the signature by the embedded key, which is public.
  {
    name: 'DPoP: signature by another key than the embedded jwk',
    request: (kit) => call(kit, { proof: { signer: kit.otherKey } }),
    expect: badProof('The DPoP proof signature is invalid'),
  },
  {
    name: 'DPoP: the embedded jwk is the private key',
    request: (kit) => call(kit, { proof: { header: { jwk: kit.dpopKey.privateJwk } } }),
    expect: badProof('The DPoP proof jwk must be a public key'),
  },
  {
    name: 'DPoP: the embedded jwk does not fit the algorithm',
    request: (kit) => call(kit, { proof: { header: { jwk: kit.psKey.publicJwk } } }),
    expect: badProof('The DPoP proof jwk does not fit its algorithm'),
  },
  // Step 8: htm.
  {
    name: 'DPoP: htm PUT for a GET',
    request: (kit) => call(kit, { proof: { htm: 'PUT' } }),
    expect: badProof('The DPoP proof htm does not match the request method'),
  },
  // Step 9: htu, normalized (RFC 3986 §6.2.2–6.2.3), query and fragment ignored on both sides.
  {
    name: 'DPoP: htu of another path',
    request: (kit) => call(kit, { proof: { htu: `${htu(accounts)}ohnonotagain` } }),
    expect: badProof('The DPoP proof htu does not match the request URL'),
  },
  {
    name: 'DPoP: htu with query and fragment (ignored)',
    request: (kit) => call(kit, { proof: { htu: `${htu(accounts)}?allthedoors#cheery` } }),
    expect: ok('standard'),
  },
  {
    name: 'DPoP: a request with a query, htu without it',
    request: async (kit) => ({ ...(await call(kit)), query: '?page=2' }),
    expect: ok('standard'),
  },
  {
    name: 'DPoP: htu with upper-case scheme and host',
    request: (kit) => call(kit, { proof: { htu: `HTTPS://API.TEST${accounts}` } }),
    expect: ok('standard'),
  },
  {
    name: 'DPoP: htu with the default port written out',
    request: (kit) => call(kit, { proof: { htu: `https://api.test:443${accounts}` } }),
    expect: ok('standard'),
  },
  {
    name: 'DPoP: htu with percent-encoded unreserved characters',
    request: (kit) => call(kit, { proof: { htu: `https://api.test/%64pop/%61ccounts` } }),
    expect: ok('standard'),
  },
  {
    name: 'DPoP: htu with another port',
    request: (kit) => call(kit, { proof: { htu: `https://api.test:8443${accounts}` } }),
    expect: badProof('The DPoP proof htu does not match the request URL'),
  },
  {
    name: 'DPoP: htu with http instead of https',
    request: (kit) => call(kit, { proof: { htu: `http://api.test${accounts}` } }),
    expect: badProof('The DPoP proof htu does not match the request URL'),
  },
  {
    name: 'DPoP: htu of the attacker’s host, sent with a matching Host and X-Forwarded-Host',
    request: (kit) =>
      call(kit, {
        proof: { htu: `https://attacker.test${accounts}` },
        headers: { 'x-forwarded-host': 'attacker.test', 'x-forwarded-proto': 'https' },
      }),
    expect: badProof('The DPoP proof htu does not match the request URL'),
  },
  {
    name: 'DPoP: X-Forwarded-Host is ignored (the configured origin decides)',
    request: (kit) => call(kit, { headers: { 'x-forwarded-host': 'attacker.test' } }),
    expect: ok('standard'),
  },
  // Step 11: iat within [now - proofMaxAge (300 s), now + clockTolerance (5 s)].
  {
    name: 'DPoP: iat 300 s ago (oldest accepted)',
    request: (kit) => call(kit, { proof: { iat: NOW - 300 } }),
    expect: ok('standard'),
  },
  {
    name: 'DPoP: iat 301 s ago',
    request: (kit) => call(kit, { proof: { iat: NOW - 301 } }),
    expect: badProof('The DPoP proof is too old'),
  },
  {
    name: 'DPoP: iat 10 s ago',
    request: (kit) => call(kit, { proof: { iat: NOW - 10 } }),
    expect: ok('standard'),
  },
  {
    name: 'DPoP: iat 5 s ahead (the clock tolerance)',
    request: (kit) => call(kit, { proof: { iat: NOW + 5 } }),
    expect: ok('standard'),
  },
  {
    name: 'DPoP: iat 6 s ahead',
    request: (kit) => call(kit, { proof: { iat: NOW + 6 } }),
    expect: badProof('The DPoP proof iat is in the future'),
  },
  {
    name: 'DPoP: iat one hour ahead',
    request: (kit) => call(kit, { proof: { iat: NOW + 3600 } }),
    expect: badProof('The DPoP proof iat is in the future'),
  },
  // Step 11: jti not seen before.
  {
    name: 'DPoP: a proof replayed on the same instance',
    request: async (kit, send) => {
      const req = await call(kit);
      expect((await send(req)).status).toBe(200);
      return req;
    },
    expect: inDpop('invalid_dpop_proof', 'ERR_DPOP_PROOF_REPLAYED', 'The DPoP proof was already used'),
  },
  {
    name: 'DPoP: a proof replayed on the other instance (shared Redis)',
    needsSharedStore: true,
    request: async (kit, send) => {
      const req = await call(kit);
      expect((await send(req)).status).toBe(200);
      return { ...req, instance: 2 };
    },
    expect: inDpop('invalid_dpop_proof', 'ERR_DPOP_PROOF_REPLAYED', 'The DPoP proof was already used'),
  },
  {
    name: 'DPoP: the second instance accepts a fresh proof',
    request: (kit) => call(kit, { instance: 2 }),
    expect: ok('standard'),
  },
  // Step 12: ath, and the key binding.
  {
    name: 'DPoP: ath of another token',
    request: (kit) => call(kit, { proof: { token: 'another.access.token' } }),
    expect: badProof('The DPoP proof ath does not match the access token'),
  },
  {
    name: 'DPoP: proof by another key than the one the token is bound to',
    request: (kit) => call(kit, { proof: { key: kit.otherKey } }),
    expect: inDpop(
      'invalid_token',
      'ERR_DPOP_BINDING_MISMATCH',
      'The DPoP proof key is not the key the access token is bound to',
    ),
  },
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
    expect: {
      ...strict(
        ', error="use_dpop_nonce", error_description="The DPoP proof must carry the nonce this server issued"',
        {
          error: 'use_dpop_nonce',
          error_description: 'The DPoP proof must carry the nonce this server issued',
          code: 'ERR_DPOP_NONCE_REQUIRED',
        },
      ),
      dpopNonce: true,
    },
  },
  {
    name: 'strict: a made-up nonce gets use_dpop_nonce',
    request: (kit) => call(kit, { route: DPOP_ROUTES.strict, proof: { claims: { nonce: 'A'.repeat(43) } } }),
    expect: {
      ...strict(
        ', error="use_dpop_nonce", error_description="The DPoP proof must carry the nonce this server issued"',
        {
          error: 'use_dpop_nonce',
          error_description: 'The DPoP proof must carry the nonce this server issued',
          code: 'ERR_DPOP_NONCE_REQUIRED',
        },
      ),
      dpopNonce: true,
    },
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
