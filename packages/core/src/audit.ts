import type { StepUpError, StepUpErrorCode } from './errors.js';
import type { VerifiedToken } from './token/types.js';
import type { AuthorizationDetail } from './transaction/schema.js';

/**
 * What the audit hook receives, once per decision. Never contains the token: only facts a log may keep.
 */
export interface AuditEvent {
  readonly operation: string;
  readonly outcome: 'allow' | 'deny';
  /** The error code of a denial. */
  readonly code?: StepUpErrorCode;
  readonly status: number;
  readonly sub?: string;
  readonly acr?: string;
  readonly issuer?: string;
  /** The satisfied (allow) or required (deny) named level, if any. */
  readonly level?: string;
  /** Milliseconds spent deciding, measured with the engine's `monotonic` clock. */
  readonly durationMs: number;
  /** Whether the verified-token cache answered. */
  readonly cached: boolean;
  /**
   * For a transaction-bound operation, the approved `authorization_details` that matched the request
   * (what the user approved: amount, currency, payee…), also when a second use of them was refused.
   */
  readonly authorizationDetails?: readonly AuthorizationDetail[];
}

/** The logger the engine writes to: `warn` for outages and hook failures, `error` for server faults. */
export interface StepUpLogger {
  warn(message: string, data?: object): void;
  error?(message: string, data?: object): void;
}

/** Logs a server fault: to `logger.error` when there is one, else `logger.warn`. */
export function logFault(logger: StepUpLogger | undefined, message: string, data: object): void {
  if (logger?.error !== undefined) logger.error(message, data);
  else logger?.warn(message, data);
}

/** Reports decisions to the audit hook; does nothing (not even read the clock) without one. */
export interface AuditReporter {
  /** The start of a decision, on the monotonic clock (0 without a hook). */
  start(): number;
  report(
    operation: string,
    started: number,
    cached: boolean,
    token: VerifiedToken | undefined,
    failure: StepUpError | undefined,
    approved?: readonly AuthorizationDetail[],
  ): void;
}

const SILENT: AuditReporter = { start: () => 0, report: () => undefined };

/** A reporter for `audit`, timing with `monotonic`; a throwing hook is logged, never fatal. */
export function createAuditReporter(
  audit: ((event: AuditEvent) => void) | undefined,
  monotonic: () => number,
  logger: StepUpLogger | undefined,
): AuditReporter {
  if (audit === undefined) return SILENT;
  return {
    start: monotonic,
    report(operation, started, cached, token, failure, approved) {
      const level = failure?.details.level ?? token?.level;
      const event: { -readonly [K in keyof AuditEvent]: AuditEvent[K] } = {
        operation,
        outcome: failure === undefined ? 'allow' : 'deny',
        status: failure?.status ?? 200,
        durationMs: monotonic() - started,
        cached,
      };
      if (failure !== undefined) event.code = failure.code;
      if (token !== undefined) {
        event.sub = token.subject;
        event.issuer = token.issuer;
        if (token.acr !== undefined) event.acr = token.acr;
      }
      if (level !== undefined) event.level = level;
      if (approved !== undefined) event.authorizationDetails = approved;
      try {
        audit(event);
      } catch (error) {
        logger?.warn('stepup: the audit hook threw', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    },
  };
}
