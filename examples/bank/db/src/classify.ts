// What a `pg` failure means for the caller. `pg` gives SQLSTATEs to server errors and Node's errno codes
// to socket errors, but its own connection errors are plain `Error`s told apart only by their message
// (pg 8 `client.js` and `pg-pool`): those messages are matched here, in one place.

/** The SQLSTATE of a server error, or the errno code (`ECONNREFUSED`) of a socket error. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

// Socket errors of a connection that cannot be made or was cut.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// SQLSTATEs after which the session is gone: class 08 (connection exception), admin/crash shutdown,
// "the database system is starting up / shutting down" (57P03), the database dropped, idle timeouts,
// too many connections (53300, refused at connect).
const SESSION_GONE = new Set(['57P01', '57P02', '57P03', '57P04', '57P05', '25P03', '53300']);

// pg's own connection errors (client.js, pg-pool/index.js), by message.
const PG_MESSAGES = [
  /^Connection terminated/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /^timeout exceeded when trying to connect/,
  /^Query read timeout/,
];

/**
 * Whether `error` says the connection could not be made or is gone (as opposed to an SQL error on a
 * healthy connection: a constraint, a syntax error, a serialization failure).
 */
export function isConnectionFailure(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== undefined && (SOCKET_CODES.has(code) || code.startsWith('08') || SESSION_GONE.has(code))) {
    return true;
  }
  // Node 20 reports a refused dual-stack connect as an AggregateError of per-address errors.
  if (error instanceof AggregateError) return error.errors.some(isConnectionFailure);
  const message = error instanceof Error ? error.message : '';
  return PG_MESSAGES.some((pattern) => pattern.test(message));
}

/** Serialization failure or deadlock: PostgreSQL rolled the transaction back; running it again is safe. */
export function isConflict(error: unknown): boolean {
  const code = errorCode(error);
  return code === '40001' || code === '40P01';
}
