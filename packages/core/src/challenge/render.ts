import { logFault, type StepUpLogger } from '../audit.js';
import { type ChallengeRendering, StepUpError, type StepUpErrorDetails } from '../errors.js';
import { encodeRemediation } from '../transaction/remediation.js';
import { sanitizeDescription, serializeChallenges } from './serialize.js';
import type { Challenge } from './types.js';

/**
 * The auth-params of the challenge that carries `error` for the scheme the request used: `realm`
 * first when configured, then `error`, a sanitized `error_description`, `acr_values`, `max_age`,
 * `scope`, the `authorization_remediation` of a transaction-bound operation (see the README) and
 * RFC 9728 `resource_metadata`. A request without credentials gets no `error`.
 */
function errorParams(error: StepUpError, rendering: ChallengeRendering): Record<string, string> {
  const params: Record<string, string> = {};
  if (rendering.realm !== undefined) params.realm = rendering.realm;
  if (error.error !== undefined) {
    params.error = error.error;
    const description = sanitizeDescription(error.message);
    if (description !== '') params.error_description = description;
  }
  const { acrValues, maxAge, scope, authorizationDetails } = error.details;
  const asks = error.asksForAuthorization;
  if (asks) {
    if (acrValues !== undefined && acrValues.length > 0) params.acr_values = acrValues.join(' ');
    if (maxAge !== undefined) params.max_age = String(maxAge);
  }
  if (scope !== undefined && scope.length > 0) params.scope = scope.join(' ');
  const remediation = asks && authorizationDetails !== undefined && encodeRemediation(authorizationDetails);
  if (remediation) params.authorization_remediation = remediation;
  if (rendering.resourceMetadata !== undefined) params.resource_metadata = rendering.resourceMetadata;
  return params;
}

/** The challenge of the scheme the request did not use: where to go, never why this one failed. */
function plainParams(rendering: ChallengeRendering): Record<string, string> {
  const params: Record<string, string> = {};
  if (rendering.realm !== undefined) params.realm = rendering.realm;
  if (rendering.resourceMetadata !== undefined) params.resource_metadata = rendering.resourceMetadata;
  return params;
}

/**
 * The default RFC 6750 §3 / RFC 9470 §3 Bearer challenge for an error: `realm` first when configured,
 * then `error`, a sanitized `error_description`, `acr_values`, `max_age`, `scope`, the
 * `authorization_remediation` of a transaction-bound operation (see the README) and RFC 9728
 * `resource_metadata`. A request without credentials gets no `error` (RFC 6750 §3.1).
 */
export function bearerChallenge(error: StepUpError, rendering: ChallengeRendering): Challenge {
  return { scheme: 'Bearer', params: errorParams(error, rendering) };
}

/**
 * Places the auth-params that carry an error (`params`: the engine's, or an issuer dialect's such as
 * Entra's claims challenge) under the right scheme. Without DPoP: one `Bearer` challenge. With DPoP
 * (RFC 9449 §7.1, §7.2): `Bearer` and `DPoP algs="…"` side by side, `params` in the challenge of the
 * scheme the request used (`details.scheme`), only `realm` and `resource_metadata` in the other; only
 * `DPoP` when Bearer is refused (`dpop.required`).
 */
export function schemeChallenges(
  error: StepUpError,
  rendering: ChallengeRendering,
  params: Readonly<Record<string, string>>,
): Challenge[] {
  const { dpop } = rendering;
  if (dpop === undefined) return [{ scheme: 'Bearer', params: { ...params } }];
  const algs = dpop.algs.join(' ');
  const usedDpop = dpop.required || error.details.scheme === 'dpop';
  const dpopChallenge: Challenge = {
    scheme: 'DPoP',
    params: { ...(usedDpop ? params : plainParams(rendering)), algs },
  };
  if (dpop.required) return [dpopChallenge];
  const bearer = { scheme: 'Bearer', params: usedDpop ? plainParams(rendering) : { ...params } };
  return [bearer, dpopChallenge];
}

/**
 * The default challenges of an error: the Bearer challenge's parameters (`bearerChallenge`), placed by
 * `schemeChallenges` (one `Bearer` challenge without DPoP; `Bearer` and `DPoP` with it).
 */
export function defaultChallenges(error: StepUpError, rendering: ChallengeRendering): Challenge[] {
  return schemeChallenges(error, rendering, errorParams(error, rendering));
}

const FORMAT_FAILED = 'Internal error';

/** What the request told the renderer besides the error (merged into the rendered error's `details`). */
export type RenderContext = Pick<StepUpErrorDetails, 'scheme' | 'dpopNonce'>;

/**
 * The answer to a failed request, complete and immutable: a new `StepUpError` with the same code,
 * message, details (plus `context`) and cause, and its response headers. `Cache-Control: no-store`
 * always; `WWW-Authenticate` for 400/401/403 (through the one serializer, also for a custom
 * `formatChallenge`); `Retry-After` when the error says when to retry (a JWKS or replay-store outage);
 * `DPoP-Nonce` when the client must use a new DPoP nonce (RFC 9449 §9).
 *
 * A `formatChallenge` that throws, or returns what the serializer refuses, is a server fault: the answer
 * is a 500 `ERR_CHALLENGE_INVALID` with a generic description and no challenge, and the fault goes to
 * `logger.error` (else `logger.warn`), never to the client.
 */
export function renderError(
  error: StepUpError,
  rendering: ChallengeRendering,
  logger?: StepUpLogger,
  context?: RenderContext,
): StepUpError {
  const details = context === undefined ? error.details : { ...error.details, ...context };
  const subject =
    details === error.details
      ? error
      : new StepUpError(error.code, error.message, { details, cause: error.cause });
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  const { retryAfter, dpopNonce } = details;
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  if (dpopNonce !== undefined) headers['dpop-nonce'] = dpopNonce;
  if (error.status === 400 || error.status === 401 || error.status === 403) {
    try {
      const custom = rendering.formatChallenge?.(subject);
      const challenges =
        custom === undefined ? defaultChallenges(subject, rendering) : ([] as Challenge[]).concat(custom);
      headers['www-authenticate'] = serializeChallenges(challenges);
    } catch (cause) {
      logFault(logger, 'stepup: formatChallenge failed', {
        code: error.code,
        error: cause instanceof Error ? cause.message : String(cause),
      });
      return new StepUpError('ERR_CHALLENGE_INVALID', FORMAT_FAILED, {
        cause,
        headers: { 'cache-control': 'no-store' },
      });
    }
  }
  return new StepUpError(error.code, error.message, { details, cause: error.cause, headers });
}
