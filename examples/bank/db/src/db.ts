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

/**
 * One of the bank's databases: the same SQL on the embedded PGlite (default) and on PostgreSQL
 * through `pg`. `bigint` columns come back as JavaScript numbers on both (amounts in minor units,
 * counters and millisecond timestamps stay far below 2^53).
 */
export interface Db extends Queryable {
  /**
   * Runs `fn` in one transaction (READ COMMITTED): commits when it resolves, rolls back when it throws.
   * Callers that need serial access to rows take row locks (`SELECT … FOR UPDATE`).
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
