import { z } from 'zod';
import { StepUpError } from '../errors.js';
import { parseWith } from '../options.js';
import type { ReplayStore } from './replay-store.js';

/**
 * The part of a Redis client this store uses, structurally (no client library is a dependency): a
 * node-redis v4–v6 client (`createClient()`, which has `sendCommand(args)`), or an ioredis client
 * (`new Redis()`, which has `call(command, ...args)`). Cluster clients whose `sendCommand` takes other
 * arguments do not fit: wrap them as `{ sendCommand: (args) => cluster.sendCommand(args[1], false, args) }`.
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
  /** Milliseconds since the epoch; expiry is sent relative to it (`PX`). Default `Date.now`. */
  now: z.custom<() => number>((v) => typeof v === 'function', 'now must be a function').optional(),
});

/** Options of `createRedisReplayStore`. */
export type RedisReplayStoreOptions = z.input<typeof optionsSchema>;

const unavailable = (cause: unknown) =>
  new StepUpError('ERR_REPLAY_STORE_UNAVAILABLE', 'The replay store is unavailable; try again later', {
    details: { retryAfter: 1 },
    cause,
  });

/**
 * A `ReplayStore` in Redis, shared by every API instance that uses the same Redis: a DPoP proof
 * replayed on another instance is refused there too. One command per key, `SET key 1 NX PX ttl`: Redis
 * sets it only if absent, atomically, so of concurrent uses on any instance exactly one wins. The
 * lifetime is sent relative (`PX`, from `now`), so the Redis server's clock does not matter. Fails
 * closed: a client error, an unexpected reply or a command slower than `timeout` is
 * `ERR_REPLAY_STORE_UNAVAILABLE` (503 with `Retry-After: 1`), its text kept only as `cause`.
 *
 * Fits node-redis (`redis`, tested against a real `redis-server`) and ioredis. Not checked: that the
 * Redis deployment keeps writes (a failover to a replica that missed the write forgets that key).
 *
 * @throws StepUpError `ERR_CONFIG_INVALID` for invalid options.
 * @example
 * import { createClient } from 'redis';
 * const client = await createClient({ url: 'redis://127.0.0.1:6379' }).connect();
 * const replayStore = createRedisReplayStore({ client });
 * const stepUp = createStepUp({ ..., dpop: { origin: 'https://api.example', replayStore } });
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
  return {
    async consume(key, expiresAt) {
      const ttl = String(Math.max(1, Math.ceil(expiresAt - now())));
      let timer: ReturnType<typeof setTimeout> | undefined;
      let reply: unknown;
      try {
        reply = await Promise.race([
          send(['SET', prefix + key, '1', 'NX', 'PX', ttl]),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no reply within ${timeout} ms`)), timeout);
          }),
        ]);
      } catch (error) {
        throw unavailable(error);
      } finally {
        clearTimeout(timer);
      }
      if (reply === 'OK') return true;
      if (reply === null) return false;
      throw unavailable(new Error('unexpected reply to SET NX'));
    },
  };
}
