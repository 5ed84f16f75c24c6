import { type RenderContext, renderError } from '../challenge/render.js';
import { deny, type StepUpDenial } from '../decision.js';
import { isStepUpError, type StepUpError } from '../errors.js';
import type { VerifiedToken } from '../token/types.js';
import type { AuthorizationDetail } from '../transaction/schema.js';
import type { Engine } from './engine.js';

/** One decision in progress: what every refusal and grant reports to the audit hook. */
export interface Attempt {
  readonly operation: string;
  /** The start, on the audit hook's monotonic clock (0 without a hook). */
  readonly started: number;
  /** Whether the verified-token cache answered. */
  readonly cached: boolean;
}

/** What a refusal knows besides its failure. */
export interface RefusalFacts {
  /** The verified token, whose issuer's dialect renders the challenge; none before verification. */
  readonly token?: VerifiedToken | undefined;
  /** With DPoP, the scheme the request used (the error goes in that challenge). */
  readonly context?: RenderContext | undefined;
  /** The approved transaction details that matched, for the audit hook. */
  readonly approved?: readonly AuthorizationDetail[] | undefined;
}

/** Reports and renders a refusal: a complete denial, in the token's issuer's dialect when there is one. */
export function refuse(
  engine: Engine,
  attempt: Attempt,
  failure: StepUpError,
  facts: RefusalFacts = {},
): StepUpDenial {
  const { token, context, approved } = facts;
  engine.audit.report(attempt.operation, attempt.started, attempt.cached, token, failure, approved);
  const rendering = token === undefined ? engine.rendering : engine.renderings.get(token.issuer)!;
  return deny(attempt.operation, renderError(failure, rendering, engine.logger, context));
}

/**
 * A request error (bad credentials, an invalid token, an outage) as the failure to answer with;
 * programming errors (`ERR_POLICY_INVALID`, anything that is not a `StepUpError`) are thrown on.
 */
export function asFailure(engine: Engine, error: unknown): StepUpError {
  if (!isStepUpError(error) || error.code === 'ERR_POLICY_INVALID') throw error;
  if (error.code === 'ERR_JWKS_UNAVAILABLE')
    engine.logger?.warn('stepup: JWKS unavailable', {
      cause: error.cause instanceof Error ? error.cause.message : '',
    });
  return error;
}
