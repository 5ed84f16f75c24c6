import { z } from 'zod';
import { parseChallenges } from '../challenge/parse.js';
import { isTokenScheme, readStepUpParams, type StepUpChallenge } from '../challenge/read-step-up.js';
import { type AuthorizationDetail, authorizationDetailSchema, MAX_AUTHORIZATION_DETAILS } from './schema.js';

/** What a client needs to obtain an approval for a transaction-bound request. */
export interface AuthorizationChallenge extends StepUpChallenge {
  /**
   * `insufficient_authorization`: the token lacks an approval of these details (or used it already);
   * `insufficient_user_authentication`: a stronger or more recent authentication is needed as well.
   */
  readonly error: 'insufficient_authorization' | 'insufficient_user_authentication';
  /** The RFC 9396 `authorization_details` to send in the authorization request, as the resource wrote them. */
  readonly authorizationDetails: readonly AuthorizationDetail[];
}

const remediation = z.looseObject({
  authorization_details: z.array(authorizationDetailSchema).min(1).max(MAX_AUTHORIZATION_DETAILS),
});

// atob and TextDecoder, not Buffer: this runs in browsers and React Native too.
function decodeBase64url(value: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
  try {
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    const text = new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(binary, (c) => c.charCodeAt(0)),
    );
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isAuthorizationError = (error: string | undefined): error is AuthorizationChallenge['error'] =>
  error === 'insufficient_authorization' || error === 'insufficient_user_authentication';

const detailsOf = (value: unknown) => remediation.safeParse(value).data?.authorization_details;

/**
 * Reads a transaction-bound refusal (see the README, "Transaction-bound requirements"), for a client
 * about to ask the authorization server for an approval: the Bearer (or, for a DPoP request, DPoP) challenge with
 * `error="insufficient_authorization"` or `"insufficient_user_authentication"` in `header`, and the
 * `authorization_details` to request, from the JSON `body` of the response or, failing that, from the
 * challenge's `authorization_remediation` parameter (base64url JSON). Returns `undefined` when the
 * response is no such refusal. Send the details exactly as they are: the resource compares them
 * exactly. Browser-safe.
 *
 * @throws StepUpError `ERR_CHALLENGE_MALFORMED` when the header is malformed.
 * @example
 * const c = readAuthorizationChallenge(response.headers.get('www-authenticate') ?? '', await response.json());
 * if (c) authorize({ authorization_details: JSON.stringify(c.authorizationDetails), acr_values: c.acrValues.join(' ') });
 */
export function readAuthorizationChallenge(
  header: string,
  body?: unknown,
): AuthorizationChallenge | undefined {
  const challenge = parseChallenges(header).find(
    (c) => isTokenScheme(c.scheme) && isAuthorizationError(c.params.error),
  );
  const error = challenge?.params.error;
  if (challenge === undefined || !isAuthorizationError(error)) return undefined;
  const encoded = challenge.params.authorization_remediation;
  const details =
    detailsOf(body) ?? (encoded === undefined ? undefined : detailsOf(decodeBase64url(encoded)));
  if (details === undefined) return undefined;
  return {
    ...readStepUpParams(challenge.params),
    error,
    authorizationDetails: details,
  };
}
