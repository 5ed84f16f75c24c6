/**
 * createRedisReplayStore against a real redis-server (REDIS_URL; `.ci/run` starts one): the shared
 * ReplayStore contract, two clients as two API instances, expiry, outages. Skipped on a dev machine
 * without REDIS_URL (`requires('redis')`), never in CI.
 */
import { randomUUID } from 'node:crypto';
import { createRedisReplayStore, type ReplayStore } from '@stepup/core/stores';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requires } from '../../../test/services.js';
import { clock } from './helpers.js';
import { replayStoreContract } from './replay-store-contract.js';

const connect = () => createClient({ url: process.env.REDIS_URL }).connect();
type Client = Awaited<ReturnType<typeof connect>>;

describe('createRedisReplayStore (real Redis)', requires('redis'), () => {
  let a: Client;
  let b: Client;
  const prefix = `stepup-test:${randomUUID()}:`;
  beforeAll(async () => {
    [a, b] = await Promise.all([connect(), connect()]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  describe('the ReplayStore contract', () => {
    // An empty store per test: a prefix of its own in the same Redis.
    replayStoreContract(async (time) =>
      createRedisReplayStore({ client: a, prefix: `${prefix}${randomUUID()}:`, now: time.now }),
    );
  });

  it('records a key once; a second client (another instance) sees it, fingerprints included', async () => {
    const time = clock(0);
    const one = createRedisReplayStore({ client: a, prefix, now: time.now });
    const two = createRedisReplayStore({ client: b, prefix, now: time.now });
    expect(await one.consume('k1', 60_000)).toBe(true);
    expect(await two.consume('k1', 60_000)).toBe(false);
    expect(await one.consume('k1', 60_000)).toBe(false);
    expect(await two.consume('k2', 60_000, 'idem')).toBe(true);
    expect(await one.consume('k2', 60_000, 'idem')).toBe(true);
    expect(await one.consume('k2', 60_000, 'other')).toBe(false);
  });

  it('stores the expiry and the mark in the value; Redis frees the key a minute after, relative to now', async () => {
    const time = clock(Date.parse('2020-01-01T00:00:00Z'));
    const store = createRedisReplayStore({ client: a, prefix, now: time.now });
    const expiresAt = time.now() + 30_000;
    expect(await store.consume('ttl', expiresAt)).toBe(true);
    expect(await store.consume('fp', expiresAt, '')).toBe(true);
    expect(await a.get(`${prefix}ttl`)).toBe(`${expiresAt}:-`);
    expect(await a.get(`${prefix}fp`)).toBe(`${expiresAt}:=`);
    const ttl = await a.pTTL(`${prefix}ttl`);
    expect(ttl).toBeGreaterThan(89_000);
    expect(ttl).toBeLessThanOrEqual(90_000);
    // A same-fingerprint retry that extends the record moves Redis's expiry too.
    expect(await store.consume('fp', expiresAt + 60_000, '')).toBe(true);
    expect(await a.get(`${prefix}fp`)).toBe(`${expiresAt + 60_000}:=`);
    expect(await a.pTTL(`${prefix}fp`)).toBeGreaterThan(149_000);
  });

  it('loads the script again when Redis lost it (SCRIPT FLUSH, a restart, a new primary)', async () => {
    const store = createRedisReplayStore({ client: a, prefix, now: clock(0).now });
    expect(await store.consume('before', 60_000)).toBe(true);
    await a.scriptFlush();
    expect(await store.consume('after', 60_000)).toBe(true);
    expect(await store.consume('after', 60_000)).toBe(false);
  });

  it('of concurrent uses of one key from two clients, exactly one wins; with fingerprints, one fingerprint', async () => {
    const stores: ReplayStore[] = [
      createRedisReplayStore({ client: a, prefix }),
      createRedisReplayStore({ client: b, prefix }),
    ];
    const plain = await Promise.all(
      Array.from({ length: 40 }, (_, i) => stores[i % 2]!.consume('race', Date.now() + 60_000)),
    );
    expect(plain.filter(Boolean)).toHaveLength(1);
    const winners = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const fingerprint = i % 4 < 2 ? 'x' : 'y';
        const won = await stores[i % 2]!.consume('race-fp', Date.now() + 60_000, fingerprint);
        return won ? fingerprint : undefined;
      }),
    );
    expect(new Set(winners.filter((w) => w !== undefined)).size).toBe(1);
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
  // An ioredis-shaped client: `call(command, ...args)`, answering as Redis would.
  it('runs the script by EVALSHA through ioredis’s call, by EVAL once Redis says NOSCRIPT', async () => {
    const sent: string[][] = [];
    const replies: (() => unknown)[] = [
      () => {
        throw new Error('NOSCRIPT No matching script. Please use EVAL.');
      },
      () => 1,
      () => 0,
    ];
    const client = {
      call: async (...args: string[]) => {
        sent.push(args);
        return replies.shift()!();
      },
    };
    const store = createRedisReplayStore({ client, prefix: 'p:', now: () => 1000 });
    expect(await store.consume('k', 3500, 'idem')).toBe(true);
    expect(await store.consume('k', 3500)).toBe(false);
    const tail = ['1', 'p:k', '1000', '3500'];
    expect(sent.map((args) => args[0])).toEqual(['EVALSHA', 'EVAL', 'EVALSHA']);
    expect(sent[0]!.slice(1)).toEqual([sent[2]![1], ...tail, '=idem', '62500']);
    expect(sent[0]![1]).toMatch(/^[0-9a-f]{40}$/);
    expect(sent[1]![1]).toContain("redis.call('GET', KEYS[1])");
    expect(sent[1]!.slice(2)).toEqual([...tail, '=idem', '62500']);
    expect(sent[2]!.slice(2)).toEqual([...tail, '-', '62500']);
  });

  it('refuses an unexpected reply, a rejected command and a slow one (fail closed)', async () => {
    const store = (sendCommand: () => Promise<unknown>) =>
      createRedisReplayStore({ client: { sendCommand }, timeout: 20 });
    const unavailable = { code: 'ERR_REPLAY_STORE_UNAVAILABLE', status: 503 };
    for (const reply of ['OK', '1', true, null])
      await expect(store(async () => reply).consume('k', Date.now() + 1000)).rejects.toMatchObject(
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
    for (const options of [{ client: {} }, { client: { sendCommand: async () => 1 }, prefixx: 'a' }])
      expect(() => createRedisReplayStore(options as never)).toThrowError(
        expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }),
      );
  });
});
