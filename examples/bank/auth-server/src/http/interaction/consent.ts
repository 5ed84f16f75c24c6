import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { z } from 'zod';

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

const Missing = z.object({
  missingOIDCScope: z.array(z.string()).optional(),
  missingOIDCClaims: z.array(z.string()).optional(),
  missingResourceScopes: z.record(z.string(), z.array(z.string())).optional(),
});

/**
 * Consent for the bank's own apps: grants what the request asks for (scopes, claims, the bank API's
 * scopes) without a page. Every client of this provider is first-party; there is no dynamic
 * registration. Also satisfies the native-client consent prompt of `oidc-provider`.
 */
export async function autoConsent(provider: Provider, details: Details): Promise<InteractionResults> {
  const accountId = details.session?.accountId;
  const clientId = details.params.client_id;
  if (typeof accountId !== 'string' || typeof clientId !== 'string') {
    throw new Error('consent prompt without a signed-in account');
  }
  const grant =
    (details.grantId && (await provider.Grant.find(details.grantId))) ||
    new provider.Grant({ accountId, clientId });
  const missing = Missing.parse(details.prompt.details);
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes.join(' '));
  }
  return { consent: { grantId: await grant.save() } };
}
