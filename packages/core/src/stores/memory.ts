import { z } from 'zod';
import { StepUpError } from '../errors.js';
import { parseWith } from '../options.js';
import type { ReplayStore } from './replay-store.js';

const optionsSchema = z.strictObject({
  /** Most keys held at once. Default 100 000. */
  max: z.number().int().min(1).max(100_000_000).default(100_000),
  /** Milliseconds since the epoch. Default `Date.now`. */
  now: z.custom<() => number>((v) => typeof v === 'function', 'now must be a function').optional(),
});

/** Options of `createMemoryReplayStore`. */
export type MemoryReplayStoreOptions = z.input<typeof optionsSchema>;

/**
 * A `ReplayStore` in this process's memory: for one API instance (several instances need a shared
 * store). Fingerprints (idempotency keys) are kept with their key, as the interface says. Bounded: expired keys are dropped as they are met and swept when the store is full; a store
 * still full of unexpired keys refuses to record more (`ERR_REPLAY_STORE_UNAVAILABLE`, a 503) rather
 * than forget one that could then be replayed.
 *
 * @throws StepUpError `ERR_CONFIG_INVALID` for invalid options.
 * @example const replays = createMemoryReplayStore({ max: 50_000 });
 */
export function createMemoryReplayStore(options: MemoryReplayStoreOptions = {}): ReplayStore {
  const { max, now = Date.now } = parseWith(optionsSchema, options, 'createMemoryReplayStore options');
  const keys = new Map<string, number>();
  // Only fingerprinted keys have an entry here: the common case (DPoP proofs) allocates nothing more.
  const fingerprints = new Map<string, string>();
  // No sweep can free a key before this time: while full, requests are refused without a sweep each.
  let freesAt = Number.NEGATIVE_INFINITY;
  const sweep = (at: number) => {
    freesAt = Number.POSITIVE_INFINITY;
    for (const [key, expiresAt] of keys)
      if (expiresAt <= at) {
        keys.delete(key);
        fingerprints.delete(key);
      } else if (expiresAt < freesAt) freesAt = expiresAt;
  };
  return {
    async consume(key, expiresAt, fingerprint) {
      const at = now();
      const known = keys.get(key);
      if (known !== undefined && known > at) {
        if (fingerprint === undefined || fingerprints.get(key) !== fingerprint) return false;
        if (expiresAt > known) keys.set(key, expiresAt);
        return true;
      }
      if (known === undefined && keys.size >= max) {
        if (at >= freesAt) sweep(at);
        if (keys.size >= max)
          throw new StepUpError('ERR_REPLAY_STORE_UNAVAILABLE', 'The replay store is full; try again later', {
            details: { retryAfter: Math.max(1, Math.ceil((freesAt - at) / 1000)) },
          });
      }
      keys.set(key, expiresAt);
      if (fingerprint === undefined) fingerprints.delete(key);
      else fingerprints.set(key, fingerprint);
      return true;
    },
  };
}
