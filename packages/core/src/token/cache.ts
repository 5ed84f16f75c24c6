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
  /** Its place in the ring. */
  readonly index: number;
  used: boolean;
}

/**
 * A bounded cache of verified tokens, keyed by the **whole** token string: two tokens that differ in
 * one character never share an entry (unlike prefix or hash keys, cf. fast-jwt CVE-2026-35039).
 *
 * Eviction is second-chance (CLOCK), an approximation of least-recently-used: a hit only marks its
 * entry; when the cache is full, a hand sweeps a fixed ring of slots, unmarking marked entries and
 * replacing the first unmarked one. Every operation is O(1) amortized and moves nothing: an exact LRU
 * on a `Map` re-inserts on every hit, and evicting through a `Map`'s insertion order walks the holes
 * that earlier deletions left at its front (about 10 µs per insertion into a full cache of 10,000,
 * measured), which a flood of fresh tokens would pay on every request. The caller re-checks time
 * claims and the key's trust on every hit (`KeySet.trusts`): an entry never outlives the key that
 * verified it.
 */
export class TokenCache {
  readonly #slots = new Map<string, Slot>();
  /** The token each place in the ring holds, in the hand's order (at most `max` places). */
  readonly #ring: string[] = [];
  /** Places whose entry was deleted, reused first. */
  readonly #free: number[] = [];
  #hand = 0;
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
    const index = this.#place(token);
    this.#ring[index] = token;
    this.#slots.set(token, { token: entry.token, key: entry.key, keys: entry.keys, index, used: false });
  }

  /** Where `token` goes: its current place, a free one, a new one, or the hand's next unmarked one. */
  #place(token: string): number {
    const current = this.#slots.get(token);
    if (current !== undefined) return current.index;
    const free = this.#free.pop();
    if (free !== undefined) return free;
    if (this.#ring.length < this.max) return this.#ring.length;
    for (;;) {
      const index = this.#hand;
      this.#hand = (index + 1) % this.max;
      const id = this.#ring[index]!;
      const old = this.#slots.get(id)!;
      if (!old.used) {
        this.#slots.delete(id);
        return index;
      }
      old.used = false;
    }
  }

  delete(token: string): void {
    const slot = this.#slots.get(token);
    if (slot === undefined) return;
    this.#slots.delete(token);
    this.#free.push(slot.index);
  }

  clear(): void {
    this.#slots.clear();
    this.#ring.length = 0;
    this.#free.length = 0;
    this.#hand = 0;
  }
}
