import type { ClientMetadata } from 'oidc-provider';

/** The resource scopes of the bank API. */
export const API_SCOPES = ['accounts:read', 'transfers:write', 'payees:write'] as const;

const COMMON = {
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  // RFC 9396 §10: the one type of details these clients may ask the customer to approve.
  authorization_details_types: ['payment_initiation'],
} satisfies Partial<ClientMetadata>;

/**
 * The bank's two first-party public clients: the web app (`bank-web`) and the iOS app (`bank-ios`,
 * custom-scheme redirect). Both use the authorization code flow with PKCE S256 (required for public
 * clients by `oidc-provider`) and get refresh tokens. Consent is given automatically: they are the
 * bank's own apps.
 */
export function bankClients(web: { origin: string } = { origin: 'http://localhost:5173' }): ClientMetadata[] {
  return [
    {
      ...COMMON,
      client_id: 'bank-web',
      client_name: 'Stepup Bank (web)',
      application_type: 'web',
      redirect_uris: [`${web.origin}/callback`],
      post_logout_redirect_uris: [`${web.origin}/`],
    },
    {
      ...COMMON,
      client_id: 'bank-ios',
      client_name: 'Stepup Bank for iPhone',
      application_type: 'native',
      redirect_uris: ['bank.stepup.example:/oauth/callback'],
    },
  ];
}
