import { createMemoryReplayStore } from '@stepup/core/stores';
import { describe, expect, it } from 'vitest';
import { clock } from './helpers.js';

describe('createMemoryReplayStore', () => {
  it('records a key once until it expires', async () => {
    const time = clock(0);
    const store = createMemoryReplayStore({ now: time.now });
    expect(await store.consume('a', 10_000)).toBe(true);
    expect(await store.consume('a', 10_000)).toBe(false);
    expect(await store.consume('b', 10_000)).toBe(true);
    time.advance(10);
    expect(await store.consume('a', 20_000)).toBe(true);
  });

  it('of concurrent uses of one key, exactly one wins', async () => {
    const store = createMemoryReplayStore({ now: () => 0 });
    const results = await Promise.all(Array.from({ length: 20 }, () => store.consume('k', 1000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('is bounded: full of live keys it refuses (fails closed) instead of forgetting one', async () => {
    const time = clock(0);
    const store = createMemoryReplayStore({ max: 2, now: time.now });
    expect(await store.consume('a', 5_000)).toBe(true);
    expect(await store.consume('b', 9_000)).toBe(true);
    await expect(store.consume('c', 9_000)).rejects.toMatchObject({
      code: 'ERR_REPLAY_STORE_UNAVAILABLE',
      status: 503,
      details: { retryAfter: 5 },
    });
    // Replays are still refused while full.
    expect(await store.consume('a', 5_000)).toBe(false);
    time.advance(5);
    expect(await store.consume('c', 9_000)).toBe(true);
    expect(await store.consume('b', 9_000)).toBe(false);
  });

  it('accepts the same fingerprint again, never another one or none, until the key expires', async () => {
    const time = clock(0);
    const store = createMemoryReplayStore({ now: time.now });
    expect(await store.consume('k', 10_000, 'idem-1')).toBe(true);
    expect(await store.consume('k', 10_000, 'idem-1')).toBe(true);
    expect(await store.consume('k', 10_000, 'idem-2')).toBe(false);
    expect(await store.consume('k', 10_000)).toBe(false);
    expect(await store.consume('plain', 10_000)).toBe(true);
    expect(await store.consume('plain', 10_000, 'idem-1')).toBe(false);
    // A same-fingerprint retry may extend the record, never shorten it.
    expect(await store.consume('k', 5_000, 'idem-1')).toBe(true);
    time.advance(9);
    expect(await store.consume('k', 10_000, 'idem-2')).toBe(false);
    time.advance(1);
    // Expired: the next use records its own fingerprint, or none.
    expect(await store.consume('k', 20_000)).toBe(true);
    expect(await store.consume('k', 20_000, 'idem-1')).toBe(false);
  });

  it('a sweep of a full store forgets expired fingerprints with their keys', async () => {
    const time = clock(0);
    const store = createMemoryReplayStore({ max: 1, now: time.now });
    expect(await store.consume('a', 1_000, 'idem')).toBe(true);
    time.advance(1);
    expect(await store.consume('b', 5_000)).toBe(true);
    // 'a' was swept, not remembered: it is a new key, and the store is full of 'b' until 5 s.
    await expect(store.consume('a', 5_000, 'idem')).rejects.toMatchObject({
      code: 'ERR_REPLAY_STORE_UNAVAILABLE',
    });
  });

  it('refuses invalid options', () => {
    expect(() => createMemoryReplayStore({ maxx: 1 } as never)).toThrowError(
      expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }),
    );
  });
});
