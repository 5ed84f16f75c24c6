import { PaymentInitiation } from '@stepup-example/contract';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { approvedIn, requestedApproval } from './approval.js';

/**
 * `features.richAuthorizationRequests` (RFC 9396) of the bank's provider: one type,
 * `payment_initiation`, validated with the contract's strict schema, exactly one detail per request.
 *
 * - The authorization code gets the details only when this interaction's login recorded their approval
 *   (the customer saw them and signed a challenge derived from them, see `approval.ts`): nothing carries
 *   over from earlier requests of the same grant, and a request without details gets none.
 * - Only the access token issued for that code carries them (claim `authorization_details`, beside its
 *   `jti`), and only for the bank API: a refresh never issues them again, so one approval makes one token,
 *   which the API accepts once.
 * - Introspection is not offered for these tokens (the API verifies JWTs itself).
 */
export function richAuthorizationRequests(apiAudience: string) {
  return {
    enabled: true,
    types: {
      payment_initiation: {
        validate(ctx: KoaContextWithOIDC, detail: unknown) {
          if (!PaymentInitiation.safeParse(detail).success) {
            throw new errors.InvalidAuthorizationDetails('the payment_initiation detail is not valid');
          }
          if (requestedApproval(ctx.oidc.params?.authorization_details) === 'invalid') {
            throw new errors.InvalidAuthorizationDetails('exactly one payment_initiation detail per request');
          }
        },
      },
    },
    authorizationDetailsForGrantSource(ctx: KoaContextWithOIDC) {
      const approval = requestedApproval(ctx.oidc.params?.authorization_details);
      if (approval === undefined) return undefined;
      if (approval === 'invalid' || !approvedIn(ctx.oidc.result, approval)) {
        throw new errors.AccessDenied('the transfer was not approved');
      }
      return [...approval];
    },
    authorizationDetailsForAccessToken(
      _ctx: KoaContextWithOIDC,
      token: { resourceServer?: { audience?: string | undefined } | undefined },
      source: { rar?: readonly { type: string }[] | undefined } | undefined,
      grantType: string,
    ) {
      if (grantType !== 'authorization_code' || token.resourceServer?.audience !== apiAudience)
        return undefined;
      return source?.rar?.filter((detail) => detail.type === 'payment_initiation');
    },
    authorizationDetailsForIntrospection: () => undefined,
  };
}
