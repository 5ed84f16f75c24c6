import { createMemoryReplayStore } from '@stepup/core/stores';
import { describe, expect, it } from 'vitest';
import { clock } from './helpers.js';
import { replayStoreContract } from './replay-store-contract.js';

describe('createMemoryReplayStore: the ReplayStore contract', () => {
  replayStoreContract(async ({ now }) => createMemoryReplayStore({ now }));
});

describe('createMemoryReplayStore', () => {
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
