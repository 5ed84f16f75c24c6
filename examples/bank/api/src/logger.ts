/** Where the API reports what happened; structured fields, never tokens or request bodies. */
export interface Logger {
  info(event: string, data?: Record<string, unknown>): void;
  warn(event: string, data?: Record<string, unknown>): void;
  error(event: string, data?: Record<string, unknown>): void;
}

/** Drops everything (the default, and what tests use). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** One JSON object per line on stdout/stderr, stamped with `now()`. */
export function jsonLogger(now: () => number, name = 'bank-api'): Logger {
  const write = (level: string, event: string, data: Record<string, unknown> = {}) => {
    const line = JSON.stringify({ time: new Date(now()).toISOString(), level, name, event, ...data });
    if (level === 'info') process.stdout.write(`${line}\n`);
    else process.stderr.write(`${line}\n`);
  };
  return {
    info: (event, data) => write('info', event, data),
    warn: (event, data) => write('warn', event, data),
    error: (event, data) => write('error', event, data),
  };
}
