import { logFault, type StepUpLogger } from '../audit.js';
import { type ChallengeRendering, StepUpError } from '../errors.js';
import { encodeRemediation } from '../transaction/remediation.js';
import { sanitizeDescription, serializeChallenges } from './serialize.js';
import type { Challenge } from './types.js';

/**
 * The default RFC 6750 §3 / RFC 9470 §3 Bearer challenge for an error: `realm` first when configured,
 * then `error`, a sanitized `error_description`, `acr_values`, `max_age`, `scope`, the
 * `authorization_remediation` of a transaction-bound operation (see the README) and RFC 9728
 * `resource_metadata`. A request without credentials gets no `error` (RFC 6750 §3.1).
 */
export function bearerChallenge(error: StepUpError, rendering: ChallengeRendering): Challenge {
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
  return { scheme: 'Bearer', params };
}

const FORMAT_FAILED = 'Internal error';

/**
 * The answer to a failed request, complete and immutable: a new `StepUpError` with the same code,
 * message, details and cause, and its response headers. `Cache-Control: no-store` always;
 * `WWW-Authenticate` for 400/401/403 (through the one serializer, also for a custom
 * `formatChallenge`); `Retry-After` when the error says when to retry (a JWKS outage).
 *
 * A `formatChallenge` that throws, or returns what the serializer refuses, is a server fault: the answer
 * is a 500 `ERR_CHALLENGE_INVALID` with a generic description and no challenge, and the fault goes to
 * `logger.error` (else `logger.warn`), never to the client.
 */
export function renderError(
  error: StepUpError,
  rendering: ChallengeRendering,
  logger?: StepUpLogger,
): StepUpError {
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  const { retryAfter } = error.details;
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  if (error.status === 400 || error.status === 401 || error.status === 403) {
    try {
      const custom = rendering.formatChallenge?.(error);
      const challenges =
        custom === undefined ? [bearerChallenge(error, rendering)] : ([] as Challenge[]).concat(custom);
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
  return new StepUpError(error.code, error.message, { details: error.details, cause: error.cause, headers });
}
