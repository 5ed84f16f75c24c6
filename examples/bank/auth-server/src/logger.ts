/** Structured log lines. The CLI writes JSON lines to stdout; tests pass a recorder. */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/** Discards everything. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** One JSON object per line on `write` (default: stdout). */
export function jsonLogger(
  now: () => number,
  write: (line: string) => void = (l) => process.stdout.write(l),
): Logger {
  const log = (level: string) => (event: string, fields?: Record<string, unknown>) =>
    write(`${JSON.stringify({ time: new Date(now()).toISOString(), level, event, ...fields })}\n`);
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
