import { createHash } from 'node:crypto';
import { z } from 'zod';
import { StepUpError } from '../errors.js';
import { parseWith } from '../options.js';
import type { ReplayStore } from './replay-store.js';

/**
 * The part of a Redis client this store uses, structurally (no client library is a dependency): a
 * node-redis v4–v6 client (`createClient()`, which has `sendCommand(args)`), or an ioredis client
 * (`new Redis()`, which has `call(command, ...args)`). Cluster clients whose `sendCommand` takes other
 * arguments do not fit: wrap them as `{ sendCommand: (args) => cluster.sendCommand(args[3], false, args) }`
 * (the key is the fourth argument of `EVALSHA sha 1 key …`).
 */
export type RedisReplayClient =
  | { sendCommand(args: string[]): Promise<unknown> }
  | { call(command: string, ...args: string[]): Promise<unknown> };

const optionsSchema = z.strictObject({
  client: z.custom<RedisReplayClient>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      (typeof (value as { call?: unknown }).call === 'function' ||
        typeof (value as { sendCommand?: unknown }).sendCommand === 'function'),
    { message: 'must be a node-redis client (sendCommand) or an ioredis client (call)' },
  ),
  /** Prefix of every key, so the store can share a database. Default `stepup:replay:`. */
  prefix: z
    .string()
    .regex(/^[\x21-\x7e]*$/, 'must be printable ASCII without spaces')
    .default('stepup:replay:'),
  /** Milliseconds a command may take before the store answers "unavailable". Default 1000. */
  timeout: z.number().int().min(1).max(60_000).default(1000),
  /** Milliseconds since the epoch: what "expired" is judged by. Default `Date.now`. */
  now: z.custom<() => number>((v) => typeof v === 'function', 'now must be a function').optional(),
});

/** Options of `createRedisReplayStore`. */
export type RedisReplayStoreOptions = z.input<typeof optionsSchema>;

/**
 * The whole `consume`, atomic in Redis (a script runs alone), on one key (Redis Cluster routes it).
 * KEYS[1] the key · ARGV[1] now (ms) · ARGV[2] expiresAt (integer ms) · ARGV[3] `-` without a
 * fingerprint, else `=` .. fingerprint · ARGV[4] the milliseconds after which Redis may free the key.
 * The value is `<expiresAt>:<mark>`; liveness is read from it with the store's clock (ARGV[1]), never
 * from Redis's expiry, which only frees the memory, later.
 */
const CONSUME_SCRIPT = `local stored = redis.call('GET', KEYS[1])
if stored then
  local colon = string.find(stored, ':', 1, true)
  local live = tonumber(string.sub(stored, 1, colon - 1))
  local mark = string.sub(stored, colon + 1)
  if live > tonumber(ARGV[1]) then
    if ARGV[3] == '-' or mark ~= ARGV[3] then return 0 end
    if tonumber(ARGV[2]) > live then redis.call('SET', KEYS[1], ARGV[2] .. ':' .. mark, 'PX', ARGV[4]) end
    return 1
  end
end
redis.call('SET', KEYS[1], ARGV[2] .. ':' .. ARGV[3], 'PX', ARGV[4])
return 1`;
const CONSUME_SHA = createHash('sha1').update(CONSUME_SCRIPT).digest('hex');

// Redis frees a key this long after it expired (by the store's clock, sent relative as PX, so Redis's
// own clock does not matter): instances whose clocks disagree by less than this never see a live key
// forgotten.
const FREE_AFTER_MS = 60_000;

const unavailable = (cause: unknown) =>
  new StepUpError('ERR_REPLAY_STORE_UNAVAILABLE', 'The replay store is unavailable; try again later', {
    details: { retryAfter: 1 },
    cause,
  });

/** A reply error meaning that Redis does not have the script cached (after a restart, on a new node). */
const isNoScript = (error: unknown) => error instanceof Error && error.message.startsWith('NOSCRIPT');

/**
 * A `ReplayStore` in Redis (≥ 6.2), shared by every API instance that uses the same Redis: a DPoP proof
 * replayed, or a single-use approval used again, on another instance is refused there too. `consume` is
 * one Lua script (`EVALSHA`, `EVAL` when Redis does not have it yet), so atomic under any concurrency:
 * the core README's table ("Writing a replay store"), fingerprints included, with "no fingerprint" kept
 * apart from every fingerprint (`''` too) and fingerprints compared whole. Expiry is judged by the
 * injected `now`, as the tokens are; Redis frees a key a minute after that, relative to `now` (`PX`).
 * Fails closed: a client error, an unexpected reply or a command slower than `timeout` is
 * `ERR_REPLAY_STORE_UNAVAILABLE` (503 with `Retry-After: 1`), its text kept only as `cause`.
 *
 * Fits node-redis (`redis`, tested against a real `redis-server`) and ioredis. Not checked: that the
 * deployment keeps writes. Run Redis with `maxmemory-policy noeviction` (an evicted live key is a replay
 * that passes); replication is asynchronous, so a failover can lose the last records.
 *
 * @throws StepUpError `ERR_CONFIG_INVALID` for invalid options.
 * @example
 * import { createClient } from 'redis';
 * const client = await createClient({ url: 'redis://127.0.0.1:6379' }).connect();
 * const replayStore = createRedisReplayStore({ client });
 * const stepUp = createStepUp({ ..., dpop: { origin: 'https://api.example', replayStore }, transactions: { store: replayStore } });
 */
export function createRedisReplayStore(options: RedisReplayStoreOptions): ReplayStore {
  const {
    client,
    prefix,
    timeout,
    now = Date.now,
  } = parseWith(optionsSchema, options, 'createRedisReplayStore options');
  const send =
    'call' in client && typeof client.call === 'function'
      ? (args: string[]) => client.call(args[0]!, ...args.slice(1))
      : (args: string[]) => (client as { sendCommand(args: string[]): Promise<unknown> }).sendCommand(args);
  const run = async (args: string[]) => {
    try {
      return await send(['EVALSHA', CONSUME_SHA, ...args]);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return send(['EVAL', CONSUME_SCRIPT, ...args]);
    }
  };
  return {
    async consume(key, expiresAt, fingerprint) {
      const at = Math.floor(now());
      const until = Math.ceil(expiresAt);
      const mark = fingerprint === undefined ? '-' : `=${fingerprint}`;
      const free = String(Math.max(1, until - at) + FREE_AFTER_MS);
      let timer: ReturnType<typeof setTimeout> | undefined;
      let reply: unknown;
      try {
        reply = await Promise.race([
          run(['1', prefix + key, String(at), String(until), mark, free]),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no reply within ${timeout} ms`)), timeout);
          }),
        ]);
      } catch (error) {
        throw unavailable(error);
      } finally {
        clearTimeout(timer);
      }
      if (reply === 1) return true;
      if (reply === 0) return false;
      throw unavailable(new Error('unexpected reply to the consume script'));
    },
  };
}
