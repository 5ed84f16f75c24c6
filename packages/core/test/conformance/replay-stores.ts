import { randomUUID } from 'node:crypto';
import { createMemoryReplayStore, createRedisReplayStore, type ReplayStore } from '@stepup/core/stores';
import { createClient } from 'redis';

/**
 * The replay stores of the two instances of the DPoP API. With `REDIS_URL` (always in CI): two Redis
 * clients (two connections, as two API processes would have) on one server, under a prefix of this run.
 * Without it (a dev machine): one memory store each, and the cross-instance case is skipped.
 */
export async function openReplayStores(now: () => number): Promise<{
  stores: readonly [ReplayStore, ReplayStore];
  sharedStore: boolean;
  close(): Promise<void>;
}> {
  const url = process.env.REDIS_URL;
  if (url === undefined || url === '') {
    if (process.env.CI) throw new Error('REDIS_URL must be set in CI: the Redis suites never skip there');
    return {
      stores: [createMemoryReplayStore({ now }), createMemoryReplayStore({ now })],
      sharedStore: false,
      close: async () => {},
    };
  }
  const clients = await Promise.all([createClient({ url }).connect(), createClient({ url }).connect()]);
  const prefix = `stepup-test:${randomUUID()}:`;
  return {
    stores: [
      createRedisReplayStore({ client: clients[0], prefix, now }),
      createRedisReplayStore({ client: clients[1], prefix, now }),
    ],
    sharedStore: true,
    async close() {
      await Promise.all(clients.map((client) => client.close()));
    },
  };
}
