import type { KeyEntry } from './key-entry.js';
import type { KeySet } from './key-set.js';
import type { VerifiedToken } from './types.js';

/** A verified token and the key that verified it, whose trust bounds the entry's. */
export interface CacheEntry {
  readonly token: VerifiedToken;
  readonly key: KeyEntry;
  readonly keys: KeySet;
}

interface Slot extends CacheEntry {
  used: boolean;
}

/**
 * A bounded cache of verified tokens, keyed by the **whole** token string: two tokens that differ in
 * one character never share an entry (unlike prefix or hash keys, cf. fast-jwt CVE-2026-35039).
 *
 * Eviction is second-chance (CLOCK), an approximation of least-recently-used: a hit only marks its
 * entry, and when the cache is full the oldest unmarked entry goes (marked ones are unmarked and moved
 * to the back). Moving entries on every hit, as an exact LRU on a `Map` does, costs tens of
 * microseconds per hit once the map holds thousands of entries. The caller re-checks time claims and
 * the key's trust on every hit (`KeySet.trusts`): an entry never outlives the key that verified it.
 */
export class TokenCache {
  readonly #slots = new Map<string, Slot>();
  constructor(readonly max: number) {}

  get size(): number {
    return this.#slots.size;
  }

  get(token: string): CacheEntry | undefined {
    const slot = this.#slots.get(token);
    if (slot !== undefined) slot.used = true;
    return slot;
  }

  set(token: string, entry: CacheEntry): void {
    this.#slots.set(token, { token: entry.token, key: entry.key, keys: entry.keys, used: false });
    while (this.#slots.size > this.max) {
      const oldest = this.#slots.entries().next();
      if (oldest.done) return;
      const [key, slot] = oldest.value;
      this.#slots.delete(key);
      if (slot.used) {
        slot.used = false;
        this.#slots.set(key, slot);
      }
    }
  }

  delete(token: string): void {
    this.#slots.delete(token);
  }

  clear(): void {
    this.#slots.clear();
  }
}
