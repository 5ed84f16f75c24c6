/** One thing a server needs to do its work: its database, the authorization server's keys. */
export interface DependencyCheck {
  /** For reports and logs: `database`, `jwks`. */
  readonly name: string;
  /** Resolves when the dependency answered. A rejection, or no answer within `timeoutMs`, is "down". */
  check(timeoutMs: number): Promise<void>;
}

export type DependencyState = 'up' | 'down';

/** What `GET /health/ready` answers from. */
export interface ReadinessReport {
  /** Every dependency up. */
  readonly ready: boolean;
  readonly dependencies: Readonly<Record<string, DependencyState>>;
}

/** A dependency went down (first failure after being up, or at start) or came back. */
export type DependencyChange =
  | { readonly name: string; readonly state: 'down'; readonly error: unknown }
  | { readonly name: string; readonly state: 'up'; readonly downForMs: number };

/** Options of {@link watchReadiness}. */
export interface ReadinessOptions {
  readonly checks: readonly DependencyCheck[];
  /** Per check; default 1000 ms. */
  readonly timeoutMs?: number;
  /** Checks run in the background this often, so outages and recoveries are logged without traffic; default 2000 ms, 0 for none. */
  readonly intervalMs?: number;
  /** A report younger than this is answered again without checking (probes stay cheap); default 500 ms. */
  readonly maxAgeMs?: number;
  /** Called on every change of state; the apps log it. */
  readonly onChange?: (change: DependencyChange) => void;
  /** A monotonic clock in milliseconds for ages and durations (not the business clock); default `performance.now`. */
  readonly elapsed?: () => number;
}

/** A running readiness watch. */
export interface Readiness {
  /** Checks every dependency (runs at once are shared; a fresh report is reused) and reports. */
  check(): Promise<ReadinessReport>;
  /** A request just failed in a way that points at a dependency: check now rather than at the next tick. */
  suspect(): void;
  /** Stops the background checks. */
  stop(): void;
}

function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Watches a server's dependencies: readiness (can it do its work now?) as opposed to liveness (is the
 * process up?). Checks run with a timeout, in the background and on demand; a change of state is
 * reported once (down, then up with how long it was down), not on every failed check.
 *
 * @example
 * const readiness = watchReadiness({
 *   checks: [{ name: 'database', check: (timeoutMs) => db.ping({ timeoutMs }) }],
 *   onChange: (change) => logger.warn(`dependency.${change.state}`, { dependency: change.name }),
 * });
 * const { ready } = await readiness.check();
 */
export function watchReadiness(options: ReadinessOptions): Readiness {
  const timeoutMs = options.timeoutMs ?? 1000;
  const intervalMs = options.intervalMs ?? 2000;
  const maxAgeMs = options.maxAgeMs ?? 500;
  const elapsed = options.elapsed ?? (() => performance.now());
  const downSince = new Map<string, number>();
  const states = new Map<string, DependencyState>();
  let running: Promise<ReadinessReport> | undefined;
  let last: { at: number; report: ReadinessReport } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const record = (name: string, error: unknown) => {
    const before = states.get(name);
    if (error === undefined) {
      states.set(name, 'up');
      const since = downSince.get(name);
      downSince.delete(name);
      if (before === 'down' && since !== undefined) {
        options.onChange?.({ name, state: 'up', downForMs: Math.round(elapsed() - since) });
      }
    } else {
      states.set(name, 'down');
      if (before !== 'down') {
        downSince.set(name, elapsed());
        options.onChange?.({ name, state: 'down', error });
      }
    }
  };

  const runAll = async (): Promise<ReadinessReport> => {
    const failures = await Promise.all(
      options.checks.map((dependency) =>
        // A check that throws at once is a failed check too, never a rejection of the whole run.
        within(
          Promise.resolve().then(() => dependency.check(timeoutMs)),
          timeoutMs,
        ).then(
          () => undefined,
          (error: unknown) => error ?? new Error('check failed'),
        ),
      ),
    );
    for (const [i, dependency] of options.checks.entries()) record(dependency.name, failures[i]);
    const dependencies = Object.fromEntries(
      options.checks.map((d) => [d.name, states.get(d.name) ?? 'down']),
    );
    const report = { ready: failures.every((f) => f === undefined), dependencies };
    last = { at: elapsed(), report };
    return report;
  };

  const run = () => {
    running ??= runAll().finally(() => {
      running = undefined;
    });
    return running;
  };

  const schedule = (delay: number) => {
    if (stopped || intervalMs === 0) return;
    clearTimeout(timer);
    timer = setTimeout(() => void run().finally(() => schedule(intervalMs)), delay);
    timer.unref();
  };
  schedule(0);

  return {
    check: () =>
      last !== undefined && elapsed() - last.at < maxAgeMs ? Promise.resolve(last.report) : run(),
    suspect: () => {
      last = undefined; // the next check() waits for this run instead of answering the old report
      if (!stopped) void run();
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** The part of a logger that {@link logDependencyChange} writes to (both bank apps' loggers have it). */
export interface ChangeLogger {
  info(event: string, data?: Record<string, unknown>): void;
  warn(event: string, data?: Record<string, unknown>): void;
}

// The driver's own words: the innermost cause (a DbError wraps the pg or socket error).
function reason(error: unknown): string {
  let inner = error;
  while (inner instanceof Error && inner.cause !== undefined) inner = inner.cause;
  return String(inner);
}

/**
 * An `onChange` for {@link watchReadiness} that logs `dependency.down` (warn, with the driver's reason:
 * logs may say `ECONNREFUSED`, answers never do) and `dependency.up` (info, with `downForMs`).
 *
 * @example
 * watchReadiness({ checks, onChange: logDependencyChange(logger) });
 */
export function logDependencyChange(logger: ChangeLogger): (change: DependencyChange) => void {
  return (change) => {
    if (change.state === 'down') {
      logger.warn('dependency.down', { dependency: change.name, reason: reason(change.error) });
    } else {
      logger.info('dependency.up', { dependency: change.name, downForMs: change.downForMs });
    }
  };
}

/** What the bank's 503 answers carry in `Retry-After`, in seconds: both apps and readiness use it. */
export const RETRY_AFTER_SECONDS = 1;

/** How a readiness endpoint answers, whatever the framework. */
export interface ReadinessAnswer {
  readonly status: 200 | 503;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: {
    readonly status: 'ready' | 'unavailable';
    readonly dependencies: ReadinessReport['dependencies'];
  };
}

/**
 * The answer of `GET /health/ready` for a report: 200 `{ status: "ready", dependencies }`, or 503
 * `{ status: "unavailable", dependencies }` with `Retry-After`. Never cached; never says why (the log does).
 *
 * @example
 * const answer = readinessAnswer(await readiness.check());
 * res.status(answer.status).set(answer.headers).json(answer.body);
 */
export function readinessAnswer(
  report: ReadinessReport,
  retryAfterSeconds = RETRY_AFTER_SECONDS,
): ReadinessAnswer {
  const { dependencies } = report;
  return report.ready
    ? { status: 200, headers: { 'Cache-Control': 'no-store' }, body: { status: 'ready', dependencies } }
    : {
        status: 503,
        headers: { 'Cache-Control': 'no-store', 'Retry-After': String(retryAfterSeconds) },
        body: { status: 'unavailable', dependencies },
      };
}
