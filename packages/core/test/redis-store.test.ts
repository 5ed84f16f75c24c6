/**
 * createRedisReplayStore against a real redis-server (REDIS_URL; `.ci/run` starts one). Skipped on a
 * dev machine without REDIS_URL, never in CI.
 */
import { randomUUID } from 'node:crypto';
import { createRedisReplayStore, type ReplayStore } from '@stepup/core/stores';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clock } from './helpers.js';

const url = process.env.REDIS_URL;
if (process.env.CI && !url) throw new Error('REDIS_URL must be set in CI: the Redis suite never skips there');

const connect = () => createClient({ url }).connect();
type Client = Awaited<ReturnType<typeof connect>>;

describe.skipIf(!url)('createRedisReplayStore (real Redis)', () => {
  let a: Client;
  let b: Client;
  const prefix = `stepup-test:${randomUUID()}:`;
  beforeAll(async () => {
    [a, b] = await Promise.all([connect(), connect()]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('records a key once; a second client (another instance) sees it', async () => {
    const time = clock(0);
    const one = createRedisReplayStore({ client: a, prefix, now: time.now });
    const two = createRedisReplayStore({ client: b, prefix, now: time.now });
    expect(await one.consume('k1', 60_000)).toBe(true);
    expect(await two.consume('k1', 60_000)).toBe(false);
    expect(await one.consume('k1', 60_000)).toBe(false);
    expect(await two.consume('k2', 60_000)).toBe(true);
  });

  it('gives the key the lifetime asked, relative to its own clock (PX), whatever the server clock says', async () => {
    const time = clock(Date.parse('2020-01-01T00:00:00Z'));
    const store = createRedisReplayStore({ client: a, prefix, now: time.now });
    expect(await store.consume('ttl', time.now() + 30_000)).toBe(true);
    const ttl = await a.pTTL(`${prefix}ttl`);
    expect(ttl).toBeGreaterThan(29_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  it('forgets a key once it expired', async () => {
    const store = createRedisReplayStore({ client: a, prefix });
    expect(await store.consume('short', Date.now() + 50)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await store.consume('short', Date.now() + 50)).toBe(true);
  });

  it('of concurrent uses of one key from two clients, exactly one wins', async () => {
    const stores: ReplayStore[] = [
      createRedisReplayStore({ client: a, prefix }),
      createRedisReplayStore({ client: b, prefix }),
    ];
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => stores[i % 2]!.consume('race', Date.now() + 60_000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('fails closed when the client is gone: 503 with Retry-After, no internal text', async () => {
    const gone = await connect();
    gone.destroy();
    const store = createRedisReplayStore({ client: gone, prefix });
    const error = await store.consume('x', Date.now() + 1000).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ERR_REPLAY_STORE_UNAVAILABLE',
      status: 503,
      message: 'The replay store is unavailable; try again later',
      details: { retryAfter: 1 },
    });
  });
});

describe('createRedisReplayStore (client contract)', () => {
  // An ioredis-shaped client: `call(command, ...args)`. The replies are Redis's to SET NX.
  it('speaks SET key 1 NX PX ttl through ioredis’s call, and reads OK and null', async () => {
    const sent: string[][] = [];
    const replies: unknown[] = ['OK', null];
    const client = {
      call: async (...args: string[]) => {
        sent.push(args);
        return replies.shift();
      },
    };
    const store = createRedisReplayStore({ client, prefix: 'p:', now: () => 1000 });
    expect(await store.consume('k', 3500)).toBe(true);
    expect(await store.consume('k', 3500)).toBe(false);
    expect(sent).toEqual([
      ['SET', 'p:k', '1', 'NX', 'PX', '2500'],
      ['SET', 'p:k', '1', 'NX', 'PX', '2500'],
    ]);
  });

  it('refuses an unexpected reply, a rejected command and a slow one (fail closed)', async () => {
    const store = (sendCommand: () => Promise<unknown>) =>
      createRedisReplayStore({ client: { sendCommand }, timeout: 20 });
    const unavailable = { code: 'ERR_REPLAY_STORE_UNAVAILABLE', status: 503 };
    await expect(store(async () => 'QUEUED').consume('k', Date.now() + 1000)).rejects.toMatchObject(
      unavailable,
    );
    await expect(
      store(async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.7:6379');
      }).consume('k', Date.now() + 1000),
    ).rejects.toMatchObject({ ...unavailable, message: 'The replay store is unavailable; try again later' });
    await expect(store(() => new Promise(() => {})).consume('k', Date.now() + 1000)).rejects.toMatchObject(
      unavailable,
    );
  });

  it('refuses a client of neither shape and unknown options', () => {
    for (const options of [{ client: {} }, { client: { sendCommand: async () => 'OK' }, prefixx: 'a' }])
      expect(() => createRedisReplayStore(options as never)).toThrowError(
        expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }),
      );
  });
});
