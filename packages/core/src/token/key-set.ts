import type { JWK } from 'jose';
import { z } from 'zod';
import { StepUpError } from '../errors.js';
import { isPublicSignatureJwk, KeyEntry } from './key-entry.js';

/** The keys of one allow-listed issuer. */
export interface KeySet {
  /**
   * The keys that may have signed a token with this `alg` and `kid`. Loads the set when it has none or
   * its copy is older than its max age, and reloads once on a `kid` it does not know, both through the
   * fetch gate (see `createRemoteKeySet`).
   * @throws StepUpError `ERR_JWKS_UNAVAILABLE` (with `details.retryAfter`) when a needed load fails or
   * the gate is closed and no fresh copy exists.
   */
  candidates(alg: string, kid: string | undefined, nowMs: number): Promise<readonly KeyEntry[]>;
  /**
   * The same candidates without waiting, when no fetch is needed: the set is within its max age and has
   * a key for this `alg` and `kid`. `undefined` otherwise (then `candidates` decides).
   */
  candidatesNow(alg: string, kid: string | undefined, nowMs: number): readonly KeyEntry[] | undefined;
  /**
   * Whether a token verified with `key` may be trusted again without verification at `nowMs`: the key
   * is still in the set, and the set is within its max age (else it would be reloaded before use).
   */
  trusts(key: KeyEntry, nowMs: number): boolean;
}

/**
 * The keys of a set that fit an `alg` and `kid`, computed once per pair for the set's life (a handful of
 * pairs per issuer; bounded anyway, since `kid` comes from tokens).
 */
class Selection {
  // By alg, then kid (`undefined` for a token without one): no key string is built per token.
  readonly #memo = new Map<string, Map<string | undefined, readonly KeyEntry[]>>();
  #size = 0;
  constructor(readonly entries: readonly KeyEntry[]) {}

  select(alg: string, kid: string | undefined): readonly KeyEntry[] {
    let byKid = this.#memo.get(alg);
    let found = byKid?.get(kid);
    if (found === undefined) {
      found = this.entries.filter((entry) => entry.matches(alg, kid));
      if (this.#size >= 64) {
        this.#memo.clear();
        this.#size = 0;
        byKid = undefined;
      }
      if (byKid === undefined) {
        byKid = new Map();
        this.#memo.set(alg, byKid);
      }
      byKid.set(kid, found);
      this.#size++;
    }
    return found;
  }
}

/** Keys given in the options: fixed for the engine's life. */
export function createLocalKeySet(jwks: {
  readonly keys: readonly Readonly<Record<string, unknown>>[];
}): KeySet {
  const selection = new Selection(jwks.keys.map((jwk) => new KeyEntry(jwk as JWK)));
  return {
    candidates: async (alg, kid) => selection.select(alg, kid),
    candidatesNow: (alg, kid) => selection.select(alg, kid),
    trusts: () => true,
  };
}

export interface RemoteKeySetOptions {
  readonly url: string;
  readonly fetch: typeof fetch;
  /** Minimum milliseconds between two fetches, whatever their outcome. */
  readonly cooldown: number;
  /** Milliseconds a fetched set may be used before it must be fetched again. */
  readonly maxAge: number;
  /** Milliseconds a fetch may take. */
  readonly timeout: number;
  /** Milliseconds since the epoch: the engine's injected clock. */
  readonly now: () => number;
}

/** Longest the gate stays closed after repeated failures. */
const MAX_BACKOFF_MS = 300_000;
/** A JWKS larger than this is refused (production sets are a few kB). */
const MAX_JWKS_BYTES = 512 * 1024;

const jwksSchema = z.object({ keys: z.array(z.looseObject({ kty: z.string() })) });

class JwksFetchError extends Error {
  override readonly name = 'JwksFetchError';
}

async function readBounded(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_JWKS_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new JwksFetchError(`the JWKS is larger than ${MAX_JWKS_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function fetchJwks(options: RemoteKeySetOptions): Promise<Readonly<Record<string, unknown>>[]> {
  const response = await options.fetch(options.url, {
    headers: { accept: 'application/json, application/jwk-set+json' },
    redirect: 'manual',
    signal: AbortSignal.timeout(options.timeout),
  });
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new JwksFetchError(`the JWKS endpoint answered ${response.status}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(await readBounded(response));
  } catch (cause) {
    throw cause instanceof JwksFetchError ? cause : new JwksFetchError('the JWKS is not JSON', { cause });
  }
  const parsed = jwksSchema.safeParse(json);
  if (!parsed.success) throw new JwksFetchError('the JWKS is not a JWK Set', { cause: parsed.error });
  return parsed.data.keys;
}

/**
 * Keys of one issuer, fetched from its `jwks_uri` with the injected `fetch` and clock.
 *
 * **The fetch gate** bounds the traffic a flood of tokens can cause, whatever the endpoint does: a fetch
 * starts only when the gate is open, closes it for `cooldown`, and each consecutive failure (network
 * error, timeout, non-200 status, not a JWK Set) keeps it closed for `cooldown × 2^(failures−1)`, at most
 * five minutes. Concurrent callers share one fetch. jose's `createRemoteJWKSet` moves its cooldown only
 * after a successful fetch, so during an outage it would fetch once per request: hence this gate.
 *
 * A set is used for `maxAge`; then it must be fetched again before use, and while that is impossible
 * (failure or closed gate) the issuer's tokens get `ERR_JWKS_UNAVAILABLE` (fail closed). Keys with
 * private members or an unknown `kty` in a fetched set are ignored.
 */
export function createRemoteKeySet(options: RemoteKeySetOptions): KeySet {
  let selection = new Selection([]);
  let freshUntil = Number.NEGATIVE_INFINITY;
  let openAt = Number.NEGATIVE_INFINITY;
  let failures = 0;
  let inflight: Promise<void> | undefined;

  const unavailable = (nowMs: number, cause?: unknown) =>
    new StepUpError(
      'ERR_JWKS_UNAVAILABLE',
      'The authorization server keys are unavailable; try again later',
      {
        details: { retryAfter: Math.max(1, Math.ceil((openAt - nowMs) / 1000)) },
        cause,
      },
    );

  const adopt = (keys: readonly Readonly<Record<string, unknown>>[], nowMs: number) => {
    const previous = new Map(selection.entries.map((entry) => [entry.fingerprint, entry]));
    const next: KeyEntry[] = [];
    for (const jwk of keys) {
      if (!isPublicSignatureJwk(jwk)) continue;
      const fresh = new KeyEntry(jwk as JWK);
      const kept = previous.get(fresh.fingerprint);
      previous.delete(fresh.fingerprint);
      next.push(kept ?? fresh);
    }
    for (const gone of previous.values()) gone.retire();
    selection = new Selection(next);
    freshUntil = nowMs + options.maxAge;
  };

  const attempt = async (startedMs: number) => {
    openAt = startedMs + options.cooldown;
    try {
      const keys = await fetchJwks(options);
      failures = 0;
      adopt(keys, options.now());
    } catch (cause) {
      failures++;
      const backoff = Math.min(options.cooldown * 2 ** Math.min(failures - 1, 20), MAX_BACKOFF_MS);
      const nowMs = options.now();
      openAt = Math.max(openAt, nowMs + Math.max(backoff, options.cooldown));
      throw unavailable(nowMs, cause);
    }
  };

  /** Fetches through the gate. `required`: the caller cannot go on without a fresh set. */
  const reload = async (nowMs: number, required: boolean): Promise<void> => {
    if (inflight !== undefined) return inflight;
    if (nowMs < openAt) {
      if (required) throw unavailable(nowMs);
      return;
    }
    inflight = attempt(nowMs).finally(() => {
      inflight = undefined;
    });
    return inflight;
  };

  return {
    async candidates(alg, kid, nowMs) {
      if (nowMs >= freshUntil) await reload(nowMs, true);
      const found = selection.select(alg, kid);
      if (found.length > 0) return found;
      await reload(nowMs, false);
      return selection.select(alg, kid);
    },
    candidatesNow(alg, kid, nowMs) {
      if (nowMs >= freshUntil) return undefined;
      const found = selection.select(alg, kid);
      return found.length > 0 ? found : undefined;
    },
    trusts: (key, nowMs) => !key.retired && nowMs < freshUntil,
  };
}
