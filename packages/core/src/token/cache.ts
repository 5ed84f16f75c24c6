import type { StepUpGrant } from '../decision.js';
import type { KeyEntry } from './key-entry.js';
import type { KeySet } from './key-set.js';
import type { VerifiedToken } from './types.js';

/** A verified token and the key that verified it, whose trust bounds the entry's. */
export interface CacheEntry {
  readonly token: VerifiedToken;
  readonly key: KeyEntry;
  readonly keys: KeySet;
}

/**
 * The grant a cached token got for one operation, kept with its entry so that the same request again
 * (the same `Authorization` header, the same operation) is answered without judging it again
 * (`TokenCache.remembered`). Only for a grant nothing in the request but the header decided: see
 * the engine's `rememberGrant`.
 */
export interface GrantMemo {
  readonly operation: string;
  /** What came before the token in the `Authorization` header (`Bearer `). */
  readonly prefix: string;
  readonly grant: StepUpGrant;
}

interface Slot extends CacheEntry {
  /** The whole token: an entry answers only for exactly this string. */
  readonly id: string;
  /** Its place in the ring. */
  readonly index: number;
  used: boolean;
  memo: GrantMemo | undefined;
}

/**
 * A bounded cache of verified tokens that answers only for the **whole** token string: two tokens that
 * differ in one character never share an entry (unlike prefix or hash keys, cf. fast-jwt CVE-2026-35039).
 * Entries are filed under the token's last `FILED` characters (its signature's), so that a lookup hashes
 * 24 characters instead of the whole token (hashing a fresh 700-character header string was half of a
 * cache hit's cost), and an entry is returned only when its whole token equals the one looked up. Two
 * verified tokens that end alike (no real signatures do) displace each other; a token that was never
 * verified is never filed, so it cannot displace anything.
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
const FILED = 24;
const filing = (token: string) => (token.length > FILED ? token.slice(-FILED) : token);

/**
 * When a verified token enters the cache: `reused`, the second time it is verified (a token presented
 * once, as in a flood of fresh tokens, is never stored, so it neither costs memory and garbage
 * collection nor evicts the entries of tokens in use); `first`, the first time.
 */
export type Admission = 'reused' | 'first';

/** A 32-bit hash of a token's last characters (its signature's), never 0 (an empty doorkeeper slot). */
function tailHash(token: string): number {
  let hash = 0x811c9dc5;
  for (let i = Math.max(0, token.length - 12); i < token.length; i++)
    hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193);
  return hash | 1;
}

export class TokenCache {
  readonly #slots = new Map<string, Slot>();
  /** What each place in the ring holds (its filing), in the hand's order (at most `max` places). */
  readonly #ring: string[] = [];
  /** Places whose entry was deleted, reused first. */
  readonly #free: number[] = [];
  #hand = 0;
  /**
   * With `reused` admission, the doorkeeper: hashes of tokens verified once, direct-mapped (a newer
   * token overwrites an older one in its slot). Numbers in a typed array, so it holds no object for
   * the garbage collector. A collision only admits a token a verification early.
   */
  readonly #seen: Int32Array | undefined;

  constructor(
    readonly max: number,
    readonly admit: Admission = 'first',
  ) {
    // A power of two at least 4 × `max` (at most 2^22 slots, 16 MiB): with `max` other tokens seen in
    // between, a token's hash is still there about 78% of the time (e^-1/4).
    const slots = 2 ** Math.min(22, Math.max(10, Math.ceil(Math.log2(4 * max))));
    this.#seen = admit === 'reused' ? new Int32Array(slots) : undefined;
  }

  get size(): number {
    return this.#slots.size;
  }

  /** Whether an entry answers for `token`, without marking it. */
  has(token: string): boolean {
    return this.#slots.get(filing(token))?.id === token;
  }

  get(token: string): CacheEntry | undefined {
    const slot = this.#slots.get(filing(token));
    if (slot === undefined || slot.id !== token) return undefined;
    slot.used = true;
    return slot;
  }

  /**
   * Caches `entry` for `token`; with `reused` admission, only if it was offered before (else its hash is
   * remembered). Whether it was stored.
   */
  set(token: string, entry: CacheEntry): boolean {
    const seen = this.#seen;
    if (seen !== undefined) {
      const hash = tailHash(token);
      const at = hash & (seen.length - 1);
      if (seen[at] !== hash) {
        seen[at] = hash;
        return false;
      }
    }
    const filed = filing(token);
    const index = this.#place(filed);
    this.#ring[index] = filed;
    this.#slots.set(filed, {
      token: entry.token,
      key: entry.key,
      keys: entry.keys,
      id: token,
      index,
      used: false,
      memo: undefined,
    });
    return true;
  }

  /**
   * The entry and memo for exactly `header`, `memo.prefix` followed by the entry's whole token, when its
   * memo is for `operation`; marks the entry used. The entry is found by the header's last characters,
   * which are its token's (`filing`).
   */
  remembered(header: string, operation: string): (CacheEntry & { readonly memo: GrantMemo }) | undefined {
    const slot = this.#slots.get(filing(header));
    const memo = slot?.memo;
    if (memo === undefined || memo.operation !== operation) return undefined;
    const { id } = slot!;
    const { prefix } = memo;
    // A slice compared with `===` (one comparison of the characters) costs less than `endsWith`.
    if (
      header.length !== prefix.length + id.length ||
      header.slice(prefix.length) !== id ||
      !header.startsWith(prefix)
    )
      return undefined;
    slot!.used = true;
    return slot as Slot & { readonly memo: GrantMemo };
  }

  /** Keeps `memo` with the entry of exactly `token`, if there is one (replacing its last memo). */
  remember(token: string, memo: GrantMemo): void {
    const slot = this.#slots.get(filing(token));
    if (slot !== undefined && slot.id === token) slot.memo = memo;
  }

  /** Where `filed` goes: its current place, a free one, a new one, or the hand's next unmarked one. */
  #place(filed: string): number {
    const current = this.#slots.get(filed);
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
    const filed = filing(token);
    const slot = this.#slots.get(filed);
    if (slot === undefined || slot.id !== token) return;
    this.#slots.delete(filed);
    this.#free.push(slot.index);
  }

  clear(): void {
    this.#slots.clear();
    this.#ring.length = 0;
    this.#free.length = 0;
    this.#hand = 0;
    this.#seen?.fill(0);
  }
}
