import { errors, interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { acrSatisfies, requiredAcr } from '../assurance.js';
import { approvedIn, requestedApproval } from './approval.js';

const { Check } = interactionPolicy;

function requestedAcrValues(ctx: KoaContextWithOIDC): string | undefined {
  const value = ctx.oidc.params?.acr_values;
  return typeof value === 'string' ? value : undefined;
}

/**
 * The login-prompt check that makes `acr_values` mandatory (RFC 9470 §4, OIDC Core §3.1.2.1).
 *
 * `oidc-provider` treats `acr_values` as voluntary: a session at the standard level would get a code
 * for a request asking for the elevated or the high level. This check asks for a new sign-in when the
 * session's acr does not reach the lowest bank level listed in `acr_values`, in the ladder's order
 * (standard < elevated < high: a high session needs nothing more for an elevated request), or when
 * none of the listed values is the bank's. Its reason `acr_insufficient` shows in
 * `interactionDetails().prompt.reasons`; the sign-in page then asks for the next factor only.
 *
 * No loop: when the sign-in that just finished still does not reach the level (which the interaction
 * routes never allow), the request fails with `unmet_authentication_requirements` instead of asking
 * again. Does NOT look at `max_age`: the provider's own `max_age` check does that.
 */
export function acrCheck(): InstanceType<typeof Check> {
  return new Check(
    'acr_insufficient',
    'the requested authentication level was not reached',
    'login_required',
    (ctx) => {
      const session = ctx.oidc.session;
      if (!session?.accountId) return Check.NO_NEED_TO_PROMPT; // `no_session` asks already.
      const required = requiredAcr(requestedAcrValues(ctx));
      if (!required.unmet && acrSatisfies(session.acr, required.acr)) return Check.NO_NEED_TO_PROMPT;
      if (ctx.oidc.result?.login) {
        throw new errors.CustomOIDCProviderError(
          'unmet_authentication_requirements',
          'the sign-in did not reach the requested authentication level',
        );
      }
      return Check.REQUEST_PROMPT;
    },
    (ctx) => {
      const required = requiredAcr(requestedAcrValues(ctx));
      return { acr_required: required.unmet ? null : required.acr };
    },
  );
}

/**
 * The login-prompt check that makes `authorization_details` an approval: a request carrying a transfer
 * (RFC 9396) always gets an interaction, whatever the session, and passes once this interaction's login
 * recorded the approval of exactly those details (their digest; see `approval.ts`). Its reason is
 * `transaction_approval`. Should a finished login lack it (the interaction routes never allow that),
 * the request fails with `access_denied` instead of asking again.
 */
export function transactionCheck(): InstanceType<typeof Check> {
  return new Check('transaction_approval', 'a transfer is to be approved', 'interaction_required', (ctx) => {
    const approval = requestedApproval(ctx.oidc.params?.authorization_details);
    if (approval === undefined) return Check.NO_NEED_TO_PROMPT;
    if (approval !== 'invalid' && approvedIn(ctx.oidc.result, approval)) return Check.NO_NEED_TO_PROMPT;
    if (ctx.oidc.result?.login) throw new errors.AccessDenied('the transfer was not approved');
    return Check.REQUEST_PROMPT;
  });
}

/** The provider's default interaction policy with {@link acrCheck} and {@link transactionCheck} on the login prompt. */
export function bankInteractionPolicy(): interactionPolicy.DefaultPolicy {
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  if (!login) throw new Error('oidc-provider has no login prompt');
  login.checks.add(acrCheck());
  login.checks.add(transactionCheck());
  return policy;
}
