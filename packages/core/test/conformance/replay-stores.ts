import { randomUUID } from 'node:crypto';
import { createMemoryReplayStore, createRedisReplayStore, type ReplayStore } from '@stepup/core/stores';
import { createClient } from 'redis';
import { available } from '../../../../test/services.js';

/**
 * The DPoP replay stores of the two instances of the DPoP API. With Redis (`REDIS_URL`, always in CI):
 * two Redis clients (two connections, as two API processes would have) on one server, under a prefix
 * of this run. Without it (a dev machine): one memory store each; the cases that need the two to share
 * a store run under `requires('redis')`, so they are skipped there and fail in CI without Redis.
 */
export async function openReplayStores(now: () => number): Promise<{
  stores: readonly [ReplayStore, ReplayStore];
  sharedStore: boolean;
  close(): Promise<void>;
}> {
  const url = process.env.REDIS_URL;
  if (!available('redis') || url === undefined)
    return {
      stores: [createMemoryReplayStore({ now }), createMemoryReplayStore({ now })],
      sharedStore: false,
      close: async () => {},
    };
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
