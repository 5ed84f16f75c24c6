/**
 * Where a bank app reports what happened: a stable event name (`dependency.down`, `transfer.completed`)
 * and structured fields. Both apps take one in their options; tests pass a recorder.
 */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/** Drops everything: the apps' default, so a library use or a test prints nothing unless asked. */
export const silentLogger: Logger = Object.freeze({ info() {}, warn() {}, error() {} });
