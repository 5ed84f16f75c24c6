import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { ACR, type CaseRequest, type Kit, NOW, type Observed, ROUTES } from './setup.js';

export interface Expected {
  readonly status: number;
  /** The exact `WWW-Authenticate` value, or `undefined` when there must be none. */
  readonly wwwAuthenticate: string | undefined;
  readonly body: unknown;
  /** Whether a `DPoP-Nonce` header must be there (`true`) or not (`false`); unchecked when absent. */
  readonly dpopNonce?: boolean;
}

export interface ConformanceCase<K = Kit> {
  readonly name: string;
  /**
   * The request whose answer is checked. `send` makes earlier requests of the same case through the
   * same driver (a first use before a replay, a nonce round trip), checked by the case itself.
   */
  readonly request: (kit: K, send: (req: CaseRequest) => Promise<Observed>) => Promise<CaseRequest>;
  readonly expect: Expected;
  /**
   * Needs the two DPoP instances to share one replay store (Redis): run under `requires('redis')`
   * (skipped on a dev machine without it, never in CI); the case checks `kit.sharedStore` itself.
   */
  readonly needsSharedStore?: boolean;
}

// Expected values are written out here, independently of the serializer under test.
const invalid = (code: string, description: string): Expected => ({
  status: 401,
  wwwAuthenticate: `Bearer realm="bank", error="invalid_token", error_description="${description}"`,
  body: { error: 'invalid_token', error_description: description, code },
});
const badRequest = (description: string): Expected => ({
  status: 400,
  wwwAuthenticate: `Bearer realm="bank", error="invalid_request", error_description="${description}"`,
  body: { error: 'invalid_request', error_description: description, code: 'ERR_REQUEST_MALFORMED' },
});
const missing: Expected = {
  status: 401,
  wwwAuthenticate: 'Bearer realm="bank"',
  body: { error_description: 'Authentication required', code: 'ERR_TOKEN_MISSING' },
};
const stepUp = (
  code: string,
  description: string,
  params: { acr_values?: string; max_age?: number; scope?: string },
): Expected => {
  let header = `Bearer realm="bank", error="insufficient_user_authentication", error_description="${description}"`;
  if (params.acr_values !== undefined) header += `, acr_values="${params.acr_values}"`;
  if (params.max_age !== undefined) header += `, max_age="${params.max_age}"`;
  if (params.scope !== undefined) header += `, scope="${params.scope}"`;
  return {
    status: 401,
    wwwAuthenticate: header,
    body: { error: 'insufficient_user_authentication', error_description: description, code, ...params },
  };
};
const ok = (level: string | null): Expected => ({
  status: 200,
  wwwAuthenticate: undefined,
  body: { sub: 'user-1', level },
});

const HIGH_VALUES = `${ACR.high}`;
const STANDARD_VALUES = `${ACR.standard} ${ACR.high}`;
const reads = { scope: 'accounts:read' };
const standard = { acr: ACR.standard, auth_time: NOW - 60, ...reads };
const high = { acr: ACR.high, auth_time: NOW - 60, scope: 'accounts:read transfers:write' };
const get = (authorization?: string | string[], extra: Partial<CaseRequest> = {}): CaseRequest => ({
  route: ROUTES.accounts,
  ...(authorization === undefined ? {} : { authorization }),
  ...extra,
});
const transfer = (authorization: string, amount: number): CaseRequest => ({
  route: ROUTES.transfers,
  authorization,
  body: { amount, to: 'savings' },
});

/** Every row of REFERENCE §1, the adversarial tokens of §2, body-dependent policy, boundaries, issuers. */
export const CASES: readonly ConformanceCase[] = [
  // §1: no credentials at all
  { name: 'no Authorization header', request: async () => get(), expect: missing },
  { name: 'another scheme (Basic)', request: async () => get('Basic dXNlcjpwYXNz'), expect: missing },
  // §1: malformed request
  {
    name: 'two Authorization headers',
    request: async ({ main }) =>
      get([await main.authorization(standard), await main.authorization(standard)]),
    expect: badRequest('Only one Authorization header is allowed'),
  },
  {
    name: 'empty bearer token',
    request: async () => get('Bearer '),
    expect: badRequest('The bearer token is empty'),
  },
  {
    name: 'illegal characters in the token',
    request: async () => get('Bearer abc$def'),
    expect: badRequest('The Authorization header is malformed'),
  },
  {
    name: 'two credentials in one header',
    request: async ({ main }) => get(`${await main.authorization(standard)}, Bearer abc`),
    expect: badRequest('The Authorization header is malformed'),
  },
  {
    name: 'token in the query string',
    request: async ({ main }) => get(undefined, { query: `?access_token=${await main.mint(standard)}` }),
    expect: badRequest('Access tokens are accepted only in the Authorization header'),
  },
  // A valid request in every variant the RFC allows.
  {
    name: 'valid standard token',
    request: async ({ main }) => get(await main.authorization(standard)),
    expect: ok('standard'),
  },
  {
    name: 'lower-case scheme',
    request: async ({ main }) => get(`bearer ${await main.mint(standard)}`),
    expect: ok('standard'),
  },
  // §1 / §2: invalid tokens
  {
    name: 'alg none',
    request: async ({ main }) =>
      get(
        `Bearer ${new UnsecuredJWT({ ...standard, sub: 'user-1', iss: main.issuer, aud: 'https://api.test', exp: NOW + 60, iat: NOW }).encode()}`,
      ),
    expect: invalid('ERR_TOKEN_ALGORITHM', 'The access token algorithm is not accepted'),
  },
  {
    name: 'HS256 signed with the public key (algorithm confusion)',
    request: async ({ main }) => {
      const secret = new TextEncoder().encode(JSON.stringify(main.jwks.keys[0]));
      const token = await new SignJWT({ ...standard, sub: 'user-1', client_id: 'c', jti: 'j' })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: main.jwks.keys[0]!.kid! })
        .setIssuer(main.issuer)
        .setAudience('https://api.test')
        .setIssuedAt(NOW)
        .setExpirationTime(NOW + 60)
        .sign(secret);
      return get(`Bearer ${token}`);
    },
    expect: invalid('ERR_TOKEN_ALGORITHM', 'The access token algorithm is not accepted'),
  },
  {
    name: 'ID token (typ JWT) replayed as an access token',
    request: async ({ main }) => get(await main.authorization(standard, { typ: 'JWT' })),
    expect: invalid('ERR_TOKEN_TYPE', 'The token is not an access token (typ must be at+jwt)'),
  },
  {
    name: 'no typ header',
    request: async ({ main }) => get(await main.authorization(standard, { typ: null })),
    expect: invalid('ERR_TOKEN_TYPE', 'The token is not an access token (typ must be at+jwt)'),
  },
  {
    name: 'typ application/at+jwt, mixed case',
    request: async ({ main }) => get(await main.authorization(standard, { typ: 'Application/AT+JWT' })),
    expect: ok('standard'),
  },
  {
    name: 'expired',
    request: async ({ main }) => get(await main.authorization({ ...standard, iat: NOW - 600, exp: NOW - 6 })),
    expect: invalid('ERR_TOKEN_EXPIRED', 'The access token expired'),
  },
  {
    name: 'expired but within the clock tolerance',
    request: async ({ main }) => get(await main.authorization({ ...standard, iat: NOW - 600, exp: NOW - 4 })),
    expect: ok('standard'),
  },
  {
    name: 'nbf in the future',
    request: async ({ main }) => get(await main.authorization({ ...standard, nbf: NOW + 60 })),
    expect: invalid('ERR_TOKEN_NOT_YET_VALID', 'The access token is not yet valid'),
  },
  {
    name: 'iat in the future',
    request: async ({ main }) => get(await main.authorization({ ...standard, iat: NOW + 60 })),
    expect: invalid('ERR_TOKEN_CLAIMS', 'The access token has an invalid iat claim'),
  },
  {
    name: 'wrong audience',
    request: async ({ main }) => get(await main.authorization({ ...standard, aud: 'https://other.test' })),
    expect: invalid('ERR_TOKEN_AUDIENCE', 'The access token is not for this resource'),
  },
  {
    name: 'issuer not on the allow-list',
    request: async ({ stranger }) => get(await stranger.authorization(standard)),
    expect: invalid('ERR_TOKEN_ISSUER', 'The access token issuer is not accepted'),
  },
  {
    name: 'unknown kid',
    request: async ({ main }) => get(await main.authorization(standard, { header: { kid: 'no-such-key' } })),
    expect: invalid('ERR_TOKEN_KEY_UNKNOWN', 'The access token was signed with an unknown key'),
  },
  {
    name: 'signed by another key under our kid, with that key embedded as jwk',
    request: async ({ main }) => {
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      const token = await new SignJWT({ ...standard, sub: 'user-1', client_id: 'c', jti: 'j' })
        .setProtectedHeader({
          alg: 'ES256',
          typ: 'at+jwt',
          kid: main.jwks.keys[0]!.kid!,
          jwk: await exportJWK(publicKey),
        })
        .setIssuer(main.issuer)
        .setAudience('https://api.test')
        .setIssuedAt(NOW)
        .setExpirationTime(NOW + 60)
        .sign(privateKey);
      return get(`Bearer ${token}`);
    },
    expect: invalid('ERR_TOKEN_SIGNATURE', 'The access token signature is invalid'),
  },
  {
    name: 'crit header',
    request: async ({ main }) =>
      get(await main.authorization(standard, { header: { crit: ['exp'], exp: NOW + 60 } })),
    expect: invalid('ERR_TOKEN_CRIT', 'The access token has unsupported critical headers'),
  },
  {
    name: 'token over the size bound (9 kB)',
    request: async ({ main }) => get(await main.authorization({ ...standard, padding: 'x'.repeat(9000) })),
    expect: invalid('ERR_TOKEN_TOO_LARGE', 'The access token is too large'),
  },
  {
    name: 'missing jti (RFC 9068)',
    request: async ({ main }) => get(await main.authorization(standard, { omit: ['jti'] })),
    expect: invalid('ERR_TOKEN_CLAIMS', 'The access token lacks a required claim or has an invalid one'),
  },
  {
    name: 'not a JWT',
    request: async () => get('Bearer abc.def.ghi'),
    expect: invalid('ERR_TOKEN_MALFORMED', 'The access token is malformed'),
  },
  {
    name: 'acr of the wrong type',
    request: async ({ main }) => get(await main.authorization({ ...standard, acr: 3 })),
    expect: invalid('ERR_TOKEN_CLAIMS', 'The access token has an invalid acr claim'),
  },
  // §1: insufficient scope
  {
    name: 'scope missing',
    request: async ({ main }) => get(await main.authorization({ ...standard, scope: 'profile' })),
    expect: {
      status: 403,
      wwwAuthenticate:
        'Bearer realm="bank", error="insufficient_scope", error_description="The access token lacks a required scope", scope="accounts:read"',
      body: {
        error: 'insufficient_scope',
        error_description: 'The access token lacks a required scope',
        code: 'ERR_SCOPE_INSUFFICIENT',
        scope: 'accounts:read',
      },
    },
  },
  // §1: insufficient user authentication
  {
    name: 'acr missing',
    request: async ({ main }) => get(await main.authorization({ ...reads, auth_time: NOW })),
    expect: stepUp('ERR_ACR_MISSING', 'The access token does not state how the user authenticated', {
      acr_values: STANDARD_VALUES,
    }),
  },
  {
    name: 'acr unknown to the policy',
    request: async ({ main }) => get(await main.authorization({ ...standard, acr: 'urn:other:weak' })),
    expect: stepUp('ERR_ACR_INSUFFICIENT', 'A stronger authentication is required (level standard)', {
      acr_values: STANDARD_VALUES,
    }),
  },
  {
    name: 'high level is accepted where standard is required',
    request: async ({ main }) => get(await main.authorization({ ...standard, acr: ACR.high })),
    expect: ok('high'),
  },
  {
    name: 'payee with standard acr',
    request: async ({ main }) => ({
      route: ROUTES.payees,
      authorization: await main.authorization(standard),
      body: {},
    }),
    expect: stepUp('ERR_ACR_INSUFFICIENT', 'A stronger authentication is required (level high)', {
      acr_values: HIGH_VALUES,
      max_age: 300,
    }),
  },
  {
    name: 'payee with high acr but no auth_time',
    request: async ({ main }) => ({
      route: ROUTES.payees,
      authorization: await main.authorization({ acr: ACR.high }),
      body: {},
    }),
    expect: stepUp('ERR_AUTH_TIME_MISSING', 'The access token does not state when the user authenticated', {
      acr_values: HIGH_VALUES,
      max_age: 300,
    }),
  },
  {
    name: 'payee with the PAPE multi-factor alias',
    request: async ({ main }) => ({
      route: ROUTES.payees,
      authorization: await main.authorization({ acr: ACR.papeMfa, auth_time: NOW - 10 }),
      body: {},
    }),
    expect: ok('high'),
  },
  {
    name: 'maxAge boundary: auth_time exactly maxAge + tolerance ago',
    request: async ({ main }) => ({
      route: ROUTES.payees,
      authorization: await main.authorization({ acr: ACR.high, auth_time: NOW - 305 }),
      body: {},
    }),
    expect: ok('high'),
  },
  {
    name: 'maxAge boundary: one second later',
    request: async ({ main }) => ({
      route: ROUTES.payees,
      authorization: await main.authorization({ acr: ACR.high, auth_time: NOW - 306 }),
      body: {},
    }),
    expect: stepUp('ERR_AUTH_TIME_TOO_OLD', 'A more recent authentication is required (within 300 seconds)', {
      acr_values: HIGH_VALUES,
      max_age: 300,
    }),
  },
  // Body-dependent policy: 1,000.00 and 1,000.01 in minor units.
  {
    name: 'transfer of 1,000.00 with the standard level',
    request: async ({ main }) =>
      transfer(await main.authorization({ ...standard, scope: 'transfers:write' }), 100_000),
    expect: ok('standard'),
  },
  {
    name: 'transfer of 1,000.01 with the standard level',
    request: async ({ main }) =>
      transfer(await main.authorization({ ...standard, scope: 'transfers:write' }), 100_001),
    expect: stepUp('ERR_ACR_INSUFFICIENT', 'A stronger authentication is required (level high)', {
      acr_values: HIGH_VALUES,
      max_age: 300,
    }),
  },
  {
    name: 'transfer of 1,000.01 with the high level',
    request: async ({ main }) => transfer(await main.authorization(high), 100_001),
    expect: ok('high'),
  },
  {
    name: 'transfer lacking both scope and level: one challenge for both',
    request: async ({ main }) => transfer(await main.authorization(standard), 500_000),
    expect: stepUp('ERR_ACR_INSUFFICIENT', 'A stronger authentication is required (level high)', {
      acr_values: HIGH_VALUES,
      max_age: 300,
      scope: 'transfers:write',
    }),
  },
  // Several issuers; acr sets without levels; amr.
  {
    name: 'partner issuer with its legacy typ JWT',
    request: async ({ partner }) => ({
      route: ROUTES.partner,
      authorization: await partner.authorization({ acr: 'urn:partner:silver' }, { typ: 'JWT' }),
    }),
    expect: ok(null),
  },
  {
    name: 'main issuer may not send typ JWT even though the partner may',
    request: async ({ main }) => ({
      route: ROUTES.partner,
      authorization: await main.authorization({ acr: 'urn:partner:silver' }, { typ: 'JWT' }),
    }),
    expect: invalid('ERR_TOKEN_TYPE', 'The token is not an access token (typ must be at+jwt)'),
  },
  {
    name: 'acr set not met',
    request: async ({ partner }) => ({
      route: ROUTES.partner,
      authorization: await partner.authorization({ acr: ACR.standard }),
    }),
    expect: stepUp('ERR_ACR_INSUFFICIENT', 'A stronger authentication is required', {
      acr_values: 'urn:partner:gold urn:partner:silver',
    }),
  },
  {
    name: 'amr requirement not met',
    request: async ({ main }) => ({
      route: ROUTES.hardware,
      authorization: await main.authorization({ ...standard, amr: ['pwd'] }),
    }),
    expect: stepUp('ERR_AMR_INSUFFICIENT', 'The required authentication methods were not used', {}),
  },
  {
    name: 'amr requirement met',
    request: async ({ main }) => ({
      route: ROUTES.hardware,
      authorization: await main.authorization({ ...standard, amr: ['hwk', 'pin'] }),
    }),
    expect: ok('standard'),
  },
];
