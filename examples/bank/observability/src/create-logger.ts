import { type DestinationStream, pino } from 'pino';
import { z } from 'zod';
import { ObservabilityError } from './errors.js';
import type { Logger } from './logger.js';
import { redact } from './redact.js';

const Destination = z.custom<DestinationStream>(
  (value) =>
    typeof value === 'object' && value !== null && typeof (value as { write?: unknown }).write === 'function',
  'expected a stream with write(line)',
);
const Clock = z.custom<() => number>((value) => typeof value === 'function', 'expected () => number');

const Options = z.strictObject({
  /** The app, on every line as `name`: `bank-api`, `bank-auth`. */
  name: z.string().min(1),
  /** The lowest level written; default `info`. */
  level: z.enum(['info', 'warn', 'error', 'silent']).default('info'),
  /** Where the JSON lines go; default stdout, written synchronously (nothing lost on `process.exit`). */
  destination: Destination.optional(),
  /** The clock of the `time` field, epoch milliseconds; default `Date.now`. */
  now: Clock.optional(),
});

/** Options of {@link createLogger}. */
export type LoggerOptions = z.input<typeof Options>;

function parse(input: LoggerOptions): z.output<typeof Options> {
  const parsed = Options.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`);
  throw new ObservabilityError('ERR_CONFIG', `invalid logger options: ${issues.join('; ')}`);
}

/**
 * The bank's logger: pino writing one JSON object per line,
 * `{"level":"warn","time":"2026-03-02T10:00:00.000Z","name":"bank-api","dependency":"database",…,"event":"dependency.down"}`.
 * Every line goes through {@link redact} first (pino's `formatters.log`, so nothing reaches the
 * destination unredacted): `authorization`, `cookie`, `set-cookie`, `DPoP`, any `*token*`, `password`
 * and `secret` fields at any depth, and JWTs or `Bearer` credentials inside strings.
 *
 * @throws ObservabilityError `ERR_CONFIG` for bad options, naming the field.
 * @example
 * const logger = createLogger({ name: 'bank-api', level: 'info' });
 * logger.warn('dependency.down', { dependency: 'database', reason: 'ECONNREFUSED' });
 */
export function createLogger(input: LoggerOptions): Logger {
  const options = parse(input);
  const now = options.now ?? Date.now;
  const destination = options.destination ?? pino.destination({ dest: 1, sync: true });
  const base = pino(
    {
      level: options.level,
      base: { name: options.name },
      messageKey: 'event',
      timestamp: () => `,"time":"${new Date(now()).toISOString()}"`,
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => redact(bindings) as Record<string, unknown>,
        log: (fields) => redact(fields) as Record<string, unknown>,
      },
    },
    destination,
  );
  return {
    info: (event, fields = {}) => base.info(fields, event),
    warn: (event, fields = {}) => base.warn(fields, event),
    error: (event, fields = {}) => base.error(fields, event),
  };
}
