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

  it('refuses invalid options', () => {
    expect(() => createMemoryReplayStore({ maxx: 1 } as never)).toThrowError(
      expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }),
    );
  });
});
