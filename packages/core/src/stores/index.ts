/**
 * `@stepup/core/stores`: state shared across requests (and, for shared implementations, across API
 * instances): the replay store for single-use values.
 */
export { createMemoryReplayStore, type MemoryReplayStoreOptions } from './memory.js';
export {
  createPostgresReplayStore,
  type PostgresQueryable,
  type PostgresReplayStore,
  type PostgresReplayStoreOptions,
  SWEEP_BATCH,
} from './postgres.js';
export {
  createRedisReplayStore,
  type RedisReplayClient,
  type RedisReplayStoreOptions,
} from './redis.js';
export type { ReplayStore } from './replay-store.js';
