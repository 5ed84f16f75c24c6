/** setTimeout cannot wait longer than this (about 24.8 days); longer waits are chained. */
export const MAX_TIMER_DELAY = 2 ** 31 - 1;

/** `nextUpdate` (`YYYY-MM-DD`) as the start of that day, UTC, in ms. */
export function nextUpdateAt(nextUpdate: string): number {
  return Date.parse(`${nextUpdate}T00:00:00Z`);
}

/**
 * When to try again: after a failure, `minDelay` doubling per consecutive failure up to
 * `maxDelay`; otherwise at `nextUpdate`. Once `nextUpdate` has passed: right away, unless the
 * source was just asked (FIDO sometimes publishes late and keeps serving the same `no`), then
 * after `maxDelay`.
 */
export function nextAttemptAt(args: {
  readonly now: number;
  readonly failures: number;
  readonly nextUpdate: string | undefined;
  readonly justAsked: boolean;
  readonly minDelay: number;
  readonly maxDelay: number;
}): number {
  const { now, failures, nextUpdate, minDelay, maxDelay } = args;
  if (failures > 0) return now + Math.min(maxDelay, minDelay * 2 ** Math.min(failures - 1, 30));
  if (nextUpdate === undefined) return now;
  const due = nextUpdateAt(nextUpdate);
  if (due > now) return due;
  return args.justAsked ? now + maxDelay : now;
}

/** Whether data is stale: none, or older than `maxStaleness` past its freshness horizon. */
export function isStale(args: {
  readonly now: number;
  readonly nextUpdate: string | undefined;
  readonly confirmedAt: number | undefined;
  readonly maxStaleness: number;
}): boolean {
  if (args.nextUpdate === undefined) return true;
  const freshUntil = Math.max(nextUpdateAt(args.nextUpdate), args.confirmedAt ?? Number.NEGATIVE_INFINITY);
  return args.now > freshUntil + args.maxStaleness;
}
