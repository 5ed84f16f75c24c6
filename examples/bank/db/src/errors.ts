/** Every code a {@link DbError} can carry. */
export type DbErrorCode =
  /** Bad options: an invalid schema name, a migration list or file name that breaks the rules. */
  | 'ERR_CONFIG'
  /** No connection could be had in time (refused, starting up, pool exhausted): nothing was sent. */
  | 'ERR_DB_UNAVAILABLE'
  /** The connection broke inside a transaction before `COMMIT` was sent: the server rolled it back. */
  | 'ERR_DB_CONNECTION_LOST'
  /** The connection broke while `COMMIT` (or a lone statement) was in flight: it may or may not have happened. */
  | 'ERR_DB_OUTCOME_UNKNOWN'
  /** PostgreSQL aborted the transaction for a serialization failure or a deadlock: it was rolled back. */
  | 'ERR_DB_CONFLICT'
  /** An applied migration no longer reads as it did (its checksum differs): nothing is migrated. */
  | 'ERR_MIGRATION_CHANGED'
  /** The database has applied migrations this code does not have (it is newer): nothing is migrated. */
  | 'ERR_MIGRATION_UNKNOWN'
  /** A migration's SQL failed; it was rolled back whole, the ones before it stay applied. */
  | 'ERR_MIGRATION_FAILED';

const CODES: ReadonlySet<string> = new Set<DbErrorCode>([
  'ERR_CONFIG',
  'ERR_DB_UNAVAILABLE',
  'ERR_DB_CONNECTION_LOST',
  'ERR_DB_OUTCOME_UNKNOWN',
  'ERR_DB_CONFLICT',
  'ERR_MIGRATION_CHANGED',
  'ERR_MIGRATION_UNKNOWN',
  'ERR_MIGRATION_FAILED',
]);

/**
 * The database layer's one error class, with a stable `code`. The driver's error is kept in `cause`
 * (for the log); the message never carries it, so a handler may pass the message on.
 */
export class DbError extends Error {
  override readonly name = 'DbError';
  readonly code: DbErrorCode;

  constructor(code: DbErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/**
 * Whether `error` is a {@link DbError}, optionally with one of `codes`. Checks the shape (`name` and a
 * known `code`), not only `instanceof`, so it also holds across two copies of this package.
 *
 * @example
 * if (isDbError(error, ['ERR_DB_UNAVAILABLE'])) res.status(503);
 */
export function isDbError(error: unknown, codes?: readonly DbErrorCode[]): error is DbError {
  if (typeof error !== 'object' || error === null) return false;
  if (!('name' in error) || error.name !== 'DbError' || !('code' in error)) return false;
  const { code } = error;
  if (typeof code !== 'string' || !CODES.has(code)) return false;
  return codes === undefined || codes.some((c) => c === code);
}

/** Codes that say the database itself is unreachable or dropped the connection (readiness cares). */
export const DB_FAULT_CODES: readonly DbErrorCode[] = [
  'ERR_DB_UNAVAILABLE',
  'ERR_DB_CONNECTION_LOST',
  'ERR_DB_OUTCOME_UNKNOWN',
];
