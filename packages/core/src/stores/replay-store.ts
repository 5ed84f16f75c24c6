/**
 * Remembers keys until they expire, so that a second use of something single-use is refused: a DPoP
 * proof's `jti` (RFC 9449 §11.1), a transaction-bound access token's `jti` per operation (RFC 9396
 * approvals used once). Implementations shared by several API instances (Redis, PostgreSQL) make a
 * replay on another instance fail too.
 */
export interface ReplayStore {
  /**
   * Records `key` as used until `expiresAt` (milliseconds since the epoch). Resolves `true` when this
   * call recorded it (the first use), `false` when it is already recorded and not yet expired. Atomic:
   * of concurrent calls for one key, on any instance sharing the store, exactly one resolves `true`.
   *
   * With a `fingerprint` (an idempotency key), a key already recorded with the **same** fingerprint
   * resolves `true` again: the same request, retried, which the caller then answers without doing the
   * operation twice. A key recorded without a fingerprint, or with another one, resolves `false`; so
   * of concurrent calls for one key, all that resolve `true` carry one fingerprint, and without a
   * fingerprint only one does. The first record's fingerprint stays until the key expires. A store
   * that ignores fingerprints is safe (it refuses those retries too) but breaks idempotent replays.
   *
   * @throws StepUpError `ERR_REPLAY_STORE_UNAVAILABLE` (503) when it cannot tell: callers fail closed.
   */
  consume(key: string, expiresAt: number, fingerprint?: string): Promise<boolean>;
}
