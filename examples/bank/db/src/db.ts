/** Rows come back untyped: callers parse them with zod. */
export interface QueryResult {
  readonly rows: unknown[];
  /** Rows changed by INSERT/UPDATE/DELETE, or returned by SELECT. */
  readonly count: number;
}

/** What a query runs on: the database or an open transaction. */
export interface Queryable {
  /** Runs one statement; parameters are always bound (`$1`), never interpolated. */
  query(sql: string, params?: readonly unknown[]): Promise<QueryResult>;
}

/** What a transaction's function works on: statements, and whole scripts (migrations). */
export interface TransactionScope extends Queryable {
  /**
   * Runs a script of several statements as it is, without parameters (PostgreSQL's simple query
   * protocol), inside the transaction: a migration file is run whole, never split on `;`.
   */
  exec(script: string): Promise<void>;
}

/**
 * One of the bank's databases: the same SQL on the embedded PGlite (default) and on PostgreSQL
 * through `pg`. `bigint` columns come back as JavaScript numbers on both (amounts in minor units,
 * counters and millisecond timestamps stay far below 2^53).
 *
 * Failures of the database itself (not of the SQL) come out as `DbError`s whose code says whether the
 * work may have happened: `ERR_DB_UNAVAILABLE` (nothing was sent), `ERR_DB_CONNECTION_LOST` (rolled
 * back), `ERR_DB_OUTCOME_UNKNOWN` (the connection broke during `COMMIT` or a lone statement),
 * `ERR_DB_CONFLICT` (serialization failure or deadlock, rolled back). SQL errors pass through.
 */
export interface Db extends Queryable {
  /**
   * Runs `fn` in one transaction (READ COMMITTED): commits when it resolves, rolls back when it throws.
   * Callers that need serial access to rows take row locks (`SELECT … FOR UPDATE`).
   */
  transaction<T>(fn: (tx: TransactionScope) => Promise<T>): Promise<T>;
  /**
   * Asks the database for `SELECT 1` and resolves when it answered within `timeoutMs` (waiting for a
   * connection included): what a readiness check needs, one cheap round trip.
   * @throws DbError `ERR_DB_UNAVAILABLE`.
   */
  ping(options: { readonly timeoutMs: number }): Promise<void>;
  close(): Promise<void>;
}
