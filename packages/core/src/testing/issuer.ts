import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWK, type JWTPayload, SignJWT } from 'jose';
import type { Algorithm, IssuerOptions } from '../options.js';

/** Options of `createTestIssuer`. */
export interface TestIssuerOptions {
  /** Default `https://issuer.test`. */
  readonly issuer?: string;
  /** Default `https://api.test`. */
  readonly audience?: string | readonly string[];
  /** Default `ES256`. */
  readonly alg?: Algorithm;
  /** Milliseconds since the epoch; default `Date.now`. Use a fixed clock in tests. */
  readonly now?: () => number;
  /** Lifetime of minted tokens in seconds; default 300. */
  readonly expiresIn?: number;
}

/** Per-token options of `mint`. */
export interface MintOptions {
  /** The `typ` header; `null` leaves it out. Default `at+jwt`. */
  readonly typ?: string | null;
  /** Extra protected-header members (e.g. `crit`, `jwk`, a foreign `kid`). */
  readonly header?: Readonly<Record<string, unknown>>;
  /** Lifetime in seconds (overrides the issuer's). */
  readonly expiresIn?: number;
  /** Leave these default claims out, e.g. `['jti', 'client_id']`. */
  readonly omit?: readonly string[];
}

/** A local issuer with a real key pair. */
export interface TestIssuer {
  readonly issuer: string;
  readonly audience: string | readonly string[];
  readonly alg: Algorithm;
  /** The current public JWKS (after `rotate`, the new key only). */
  readonly jwks: JSONWebKeySet;
  /** `${issuer}/jwks`, served by `fetch`. */
  readonly jwksUri: string;
  /** A `fetch` that serves the JWKS at `jwksUri` (and 404 elsewhere), offline. */
  readonly fetch: typeof fetch;
  /** How many times `fetch` served the JWKS. */
  readonly jwksRequests: number;
  /** The issuer's clock in seconds since the epoch. */
  now(): number;
  /** Issuer options for `createStepUp` with local keys (`{ issuer, audience, jwks, algorithms }`). */
  config(overrides?: Partial<IssuerOptions>): IssuerOptions;
  /** Issuer options for `createStepUp` with the remote JWKS (use `fetch` as the engine's `fetch`). */
  remoteConfig(overrides?: Partial<IssuerOptions>): IssuerOptions;
  /**
   * Signs an RFC 9068 access token: defaults `iss`, `aud`, `sub` (`user-1`), `client_id`, `jti`,
   * `iat`, `exp`, overridden by `claims`.
   */
  mint(claims?: JWTPayload, options?: MintOptions): Promise<string>;
  /** `Bearer <mint(claims)>`. */
  authorization(claims?: JWTPayload, options?: MintOptions): Promise<string>;
  /** Replaces the signing key (new `kid`); the JWKS then holds only the new key. */
  rotate(): Promise<void>;
}

let counter = 0;

async function makeKey(alg: Algorithm) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `test-${++counter}-${alg.toLowerCase()}`;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { privateKey, jwk, kid };
}

/**
 * Creates an issuer for tests: real keys, real signatures, any claims, offline.
 * @example
 * const as = await createTestIssuer({ now: () => Date.parse('2026-01-01T00:00:00Z') });
 * const stepUp = createStepUp({ issuers: [as.config()], levels, operations, now: () => Date.parse('2026-01-01T00:00:00Z') });
 * const authorization = await as.authorization({ acr: 'urn:example:high', auth_time: as.now() - 10 });
 */
export async function createTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const issuer = options.issuer ?? 'https://issuer.test';
  const audience = options.audience ?? 'https://api.test';
  const alg = options.alg ?? 'ES256';
  const clock = options.now ?? Date.now;
  let key = await makeKey(alg);
  let jwksRequests = 0;
  const jwksUri = `${issuer.replace(/\/$/, '')}/jwks`;
  const now = () => Math.floor(clock() / 1000);

  const fetchJwks = (async (input: string | URL | Request) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url !== jwksUri) return new Response('not found', { status: 404 });
    jwksRequests++;
    return Response.json({ keys: [key.jwk] });
  }) as typeof fetch;

  const mint = async (claims: JWTPayload = {}, mintOptions: MintOptions = {}) => {
    const iat = now();
    const defaults: JWTPayload = {
      iss: issuer,
      aud: Array.isArray(audience) ? [...audience] : (audience as string),
      sub: 'user-1',
      client_id: 'test-client',
      jti: `jti-${++counter}`,
      iat,
      exp: iat + (mintOptions.expiresIn ?? options.expiresIn ?? 300),
    };
    for (const name of mintOptions.omit ?? []) delete defaults[name];
    const payload = { ...defaults, ...claims };
    const typ = mintOptions.typ === undefined ? 'at+jwt' : mintOptions.typ;
    const header: Record<string, unknown> = {
      alg,
      kid: key.kid,
      ...(typ === null ? {} : { typ }),
      ...mintOptions.header,
    };
    // Let jose sign extension headers listed in `crit`, so tests can check that verifiers refuse them.
    const crit = Array.isArray(header.crit)
      ? Object.fromEntries(header.crit.map((name: unknown) => [String(name), true]))
      : undefined;
    return new SignJWT(payload)
      .setProtectedHeader(header as { alg: string })
      .sign(key.privateKey, crit === undefined ? undefined : { crit });
  };

  return {
    issuer,
    audience,
    alg,
    get jwks() {
      return { keys: [key.jwk] };
    },
    jwksUri,
    fetch: fetchJwks,
    get jwksRequests() {
      return jwksRequests;
    },
    now,
    config: (overrides = {}) => ({
      issuer,
      audience: audience as IssuerOptions['audience'],
      jwks: { keys: [key.jwk] } as IssuerOptions['jwks'],
      algorithms: [alg],
      ...overrides,
    }),
    remoteConfig: (overrides = {}) => ({
      issuer,
      audience: audience as IssuerOptions['audience'],
      jwksUri,
      algorithms: [alg],
      ...overrides,
    }),
    mint,
    authorization: async (claims, mintOptions) => `Bearer ${await mint(claims, mintOptions)}`,
    rotate: async () => {
      key = await makeKey(alg);
    },
  };
}
