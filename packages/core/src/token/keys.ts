import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  type ExportedJWKSCache,
  errors,
  type JSONWebKeySet,
  type JWKSCacheInput,
  type JWTVerifyGetKey,
  jwksCache,
} from 'jose';
import { StepUpError } from '../errors.js';
import type { ResolvedIssuer } from '../options.js';

/** An issuer's keys and a counter that moves when its key set changes (for the token cache). */
export interface IssuerKeys {
  readonly getKey: JWTVerifyGetKey;
  /** Changes whenever a reload brings a different key set. */
  epoch(): number;
}

/**
 * Keys of one allow-listed issuer: local keys, or a remote JWKS through jose's `createRemoteJWKSet`
 * (cached for `jwksCacheMaxAge`, refetched on an unknown `kid` at most once per `jwksCooldown`).
 * A JWKS outage becomes `ERR_JWKS_UNAVAILABLE` whose message never carries the network error (it is
 * kept as `cause` for logs). jose's cooldown runs on the wall clock, not on the injected one.
 */
export function createIssuerKeys(issuer: ResolvedIssuer, fetchImpl: typeof fetch | undefined): IssuerKeys {
  if (issuer.jwks !== undefined) {
    const getKey = createLocalJWKSet(issuer.jwks as JSONWebKeySet);
    return { getKey, epoch: () => 0 };
  }
  const store: JWKSCacheInput = {};
  const cache = store as Partial<ExportedJWKSCache>;
  const remote = createRemoteJWKSet(new URL(issuer.jwksUri!), {
    cooldownDuration: issuer.jwksCooldown,
    cacheMaxAge: issuer.jwksCacheMaxAge,
    timeoutDuration: issuer.jwksTimeout,
    ...(fetchImpl === undefined ? {} : { [customFetch]: fetchImpl }),
    [jwksCache]: store,
  });
  let epoch = 0;
  let seen: JSONWebKeySet | undefined;
  let fingerprint = '';
  // jose stores each fetched set as a new object (its timestamp can repeat within a millisecond).
  const observe = () => {
    if (cache.jwks === seen) return;
    seen = cache.jwks;
    const next = JSON.stringify(cache.jwks ?? null);
    if (fingerprint !== '' && next !== fingerprint) epoch++;
    fingerprint = next;
  };
  const getKey: JWTVerifyGetKey = async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
        throw error;
      throw new StepUpError(
        'ERR_JWKS_UNAVAILABLE',
        'The authorization server keys are unavailable; try again later',
        {
          cause: error,
        },
      );
    } finally {
      observe();
    }
  };
  return { getKey, epoch: () => epoch };
}
