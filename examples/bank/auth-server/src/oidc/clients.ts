import type { ClientMetadata } from 'oidc-provider';

/** The resource scopes of the bank API (the contract's). */
export { API_SCOPES } from '@stepup-example/contract';

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
 *
 * The web app's tokens are all bound to its DPoP key (RFC 9449 §5.2, `dpop_bound_access_tokens`: the
 * token endpoint refuses its requests without a proof; its access tokens carry `cnf.jkt`, and
 * oidc-provider binds a public client's refresh token to the key of the proof it was issued with). The
 * iOS app does not send proofs yet (its own issue): its tokens stay unbound Bearer tokens, which the
 * bank API, requiring DPoP, refuses; once it sends proofs, its tokens are bound the same way (the
 * provider binds any token requested with a proof) and this flag can be set for it too.
 */
export function bankClients(web: { origin: string } = { origin: 'http://localhost:5173' }): ClientMetadata[] {
  return [
    {
      ...COMMON,
      client_id: 'bank-web',
      client_name: 'Stepup Bank (web)',
      dpop_bound_access_tokens: true,
      application_type: 'web',
      redirect_uris: [`${web.origin}/callback`],
      post_logout_redirect_uris: [`${web.origin}/`],
    },
    {
      ...COMMON,
      client_id: 'bank-ios',
      client_name: 'Stepup Bank for iPhone',
      dpop_bound_access_tokens: false,
      application_type: 'native',
      redirect_uris: ['bank.stepup.example:/oauth/callback'],
    },
  ];
}
