/** Rows come back untyped: callers parse them with zod. */
export interface QueryResult {
  rows: unknown[];
  /** Rows changed by INSERT/UPDATE/DELETE (or returned by SELECT). */
  count: number;
}

/** What a query runs on: the database or an open transaction. */
export interface Queryable {
  query(sql: string, params?: readonly unknown[]): Promise<QueryResult>;
}

/**
 * The one database of the authorization server: accounts, credentials, challenges and the provider's
 * own state. Implemented by PGlite (embedded, the default) and by PostgreSQL through `pg`, with the
 * same SQL. Parameters are always bound (`$1`), never interpolated.
 */
export interface Db extends Queryable {
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
