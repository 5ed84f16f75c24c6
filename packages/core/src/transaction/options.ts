import { z } from 'zod';
import type { ReplayStore } from '../stores/replay-store.js';

const replayStore = z.custom<ReplayStore>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<ReplayStore>).consume === 'function',
  { message: 'must be a ReplayStore (an object with consume(key, expiresAt, fingerprint))' },
);

/**
 * The `transactions` option of `createStepUp`: where single-use approvals are recorded. Default: a
 * store in this process's memory (`createMemoryReplayStore` with the engine's clock), which is right for
 * one API instance only; several instances need a shared one (`createPostgresReplayStore`, or any
 * `ReplayStore`), or a token used on one instance can be used again on another.
 */
export const transactionsOptionsSchema = z.strictObject({
  store: replayStore.optional(),
});

/** Options for transaction-bound requirements. */
export type TransactionsOptions = z.input<typeof transactionsOptionsSchema>;
