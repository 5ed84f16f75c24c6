/** Every code a {@link DbError} can carry. */
export type DbErrorCode =
  /** Bad options, thrown when the database is opened (an invalid schema name). */
  'ERR_CONFIG';

/** The database layer's one error class, with a stable `code`. */
export class DbError extends Error {
  override readonly name = 'DbError';
  readonly code: DbErrorCode;

  constructor(code: DbErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
