// What every `ReplayStore` must do (the interface's TSDoc and the core README's "Writing a replay
// store"), as tests: the memory and PostgreSQL stores run it, and so must any other (Redis).
import type { ReplayStore } from '@stepup/core/stores';
import { expect, it } from 'vitest';

/** A test clock in milliseconds, moved by the contract. */
export interface ContractClock {
  readonly now: () => number;
}

/**
 * Declares the `ReplayStore` contract's tests in the calling `describe`. `open` returns an empty store
 * that reads `clock.now` (milliseconds since the epoch; the contract starts it at 0 and moves it).
 */
export function replayStoreContract(open: (clock: ContractClock) => Promise<ReplayStore>): void {
  const start = async () => {
    let t = 0;
    const store = await open({ now: () => t });
    return { store, at: (ms: number) => (t = ms) };
  };

  it('records a key once until it expires (expired at expiresAt itself), then records it again', async () => {
    const { store, at } = await start();
    expect(await store.consume('a', 10_000)).toBe(true);
    expect(await store.consume('a', 10_000)).toBe(false);
    expect(await store.consume('b', 10_000)).toBe(true);
    at(9_999);
    expect(await store.consume('a', 20_000)).toBe(false);
    at(10_000);
    expect(await store.consume('a', 20_000)).toBe(true);
    expect(await store.consume('a', 20_000)).toBe(false);
  });

  it('accepts the same fingerprint again, never another one or none', async () => {
    const { store } = await start();
    expect(await store.consume('k', 10_000, 'idem-1')).toBe(true);
    expect(await store.consume('k', 10_000, 'idem-1')).toBe(true);
    expect(await store.consume('k', 10_000, 'idem-2')).toBe(false);
    expect(await store.consume('k', 10_000)).toBe(false);
    // The refusals changed nothing: the first use's fingerprint is still the one accepted.
    expect(await store.consume('k', 10_000, 'idem-1')).toBe(true);
  });

  it('a key recorded without a fingerprint matches none, the empty one included', async () => {
    const { store } = await start();
    expect(await store.consume('plain', 10_000)).toBe(true);
    expect(await store.consume('plain', 10_000, 'idem-1')).toBe(false);
    expect(await store.consume('plain', 10_000, '')).toBe(false);
  });

  it('any string is a fingerprint: the empty one is not "none", a long one is kept whole', async () => {
    const { store } = await start();
    expect(await store.consume('empty', 10_000, '')).toBe(true);
    expect(await store.consume('empty', 10_000, '')).toBe(true);
    expect(await store.consume('empty', 10_000)).toBe(false);
    const long = 'x'.repeat(10_000);
    expect(await store.consume('long', 10_000, long)).toBe(true);
    expect(await store.consume('long', 10_000, long)).toBe(true);
    expect(await store.consume('long', 10_000, `${long}y`)).toBe(false);
    expect(await store.consume('long', 10_000, long.slice(1))).toBe(false);
  });

  it('a same-fingerprint retry may extend the record, never shorten it; expired, it is a new key', async () => {
    const { store, at } = await start();
    expect(await store.consume('k', 10_000, 'idem-1')).toBe(true);
    expect(await store.consume('k', 5_000, 'idem-1')).toBe(true);
    at(9_000);
    expect(await store.consume('k', 30_000, 'idem-2')).toBe(false);
    expect(await store.consume('k', 20_000, 'idem-1')).toBe(true);
    at(19_999);
    expect(await store.consume('k', 30_000, 'idem-2')).toBe(false);
    at(20_000);
    // The next use records its own fingerprint (or none), and the old one no longer matches.
    expect(await store.consume('k', 30_000, 'idem-2')).toBe(true);
    expect(await store.consume('k', 30_000, 'idem-1')).toBe(false);
    expect(await store.consume('k', 30_000)).toBe(false);
  });

  it('of concurrent uses of one key exactly one wins; with fingerprints, every winner carries one', async () => {
    const { store } = await start();
    const plain = await Promise.all(Array.from({ length: 10 }, () => store.consume('p', 1000)));
    expect(plain.filter(Boolean)).toHaveLength(1);
    const mixed = await Promise.all(
      Array.from({ length: 10 }, (_, i) => {
        const fingerprint = i % 2 === 0 ? 'x' : 'y';
        return store.consume('f', 1000, fingerprint).then((won) => (won ? fingerprint : undefined));
      }),
    );
    const winners = mixed.filter((w) => w !== undefined);
    expect(winners.length).toBeGreaterThanOrEqual(1);
    expect(new Set(winners).size).toBe(1);
  });
}
