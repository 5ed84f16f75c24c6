import type { StepUpErrorCode } from './errors.js';

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
  /** Milliseconds spent deciding, measured with the injected clock's monotonic source. */
  readonly durationMs: number;
  /** Whether the verified-token cache answered. */
  readonly cached: boolean;
}
