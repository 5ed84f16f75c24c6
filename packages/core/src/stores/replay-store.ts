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
   * @throws StepUpError `ERR_REPLAY_STORE_UNAVAILABLE` (503) when it cannot tell: callers fail closed.
   */
  consume(key: string, expiresAt: number): Promise<boolean>;
}
