import { DPOP_ALGORITHMS } from '@stepup-example/contract';
import type { Db } from '@stepup-example/db';
import type { Logger } from '@stepup-example/observability';
import Provider, { errors, type KoaContextWithOIDC, type ResourceServer } from 'oidc-provider';
import { accounts } from '../accounts/store.js';
import { BANK_ACR_VALUES } from '../assurance.js';
import { loggedOutPage, logoutPage, messagePage } from '../views/pages.js';
import { bankInteractionPolicy } from './acr-check.js';
import { dbAdapterFactory } from './adapter.js';
import { API_SCOPES, bankClients } from './clients.js';
import type { ServerSecrets } from './keys.js';
import { richAuthorizationRequests } from './rich-authorization.js';

/** Options of {@link createProvider}. */
export interface ProviderOptions {
  issuer: string;
  db: Db;
  now: () => number;
  secrets: ServerSecrets;
  /** The bank API's resource identifier (RFC 8707), the `aud` of its access tokens. */
  apiAudience: string;
  /** Origin of the bank web app (redirect `…/callback`, post-logout `…/`). */
  webOrigin: string;
  logger: Logger;
  /** Access token lifetime in seconds (default 600). */
  accessTokenTtl?: number;
}

/**
 * Copies the original authentication (`acr`, `amr`, `auth_time`) from the authorization code, or from
 * the refresh token on refresh, into the access token. `oidc-provider` puts none of them in access
 * tokens by itself; a refresh keeps the values of the sign-in, not the time of the refresh.
 */
export function authenticationClaims(ctx: KoaContextWithOIDC): Record<string, unknown> | undefined {
  const source = ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.RefreshToken;
  if (!source) return undefined;
  return {
    ...(source.acr === undefined ? {} : { acr: source.acr }),
    ...(source.amr === undefined ? {} : { amr: source.amr }),
    ...(source.authTime === undefined ? {} : { auth_time: source.authTime }),
  };
}

function resourceServer(
  options: ProviderOptions,
): (ctx: KoaContextWithOIDC, resource: string) => ResourceServer {
  return (_ctx, resource) => {
    if (resource !== options.apiAudience) throw new errors.InvalidTarget();
    return {
      scope: API_SCOPES.join(' '),
      audience: options.apiAudience,
      accessTokenFormat: 'jwt',
      accessTokenTTL: options.accessTokenTtl ?? 600,
      jwt: { sign: { alg: 'ES256' } },
    };
  };
}

/**
 * DPoP at the token endpoint (RFC 9449; on by default in oidc-provider, stated here): proofs are
 * checked, their `jti`s remembered through the adapter (model `ReplayDetection`, in the database, so
 * every instance refuses a replay), and a proof must carry a nonce of this server (§8: `use_dpop_nonce`
 * with a `DPoP-Nonce` header first, then the client's retry), so that a proof signed in advance by
 * script that got hold of the client's key is worthless a few minutes later. The nonces are stateless
 * (derived from `nonceSecret` and the time, oidc-provider's `ServerChallenge`), the same on every instance.
 */
function dpop(secrets: ServerSecrets) {
  return { enabled: true, nonceSecret: secrets.dpopNonceSecret, requireNonce: () => true };
}

/**
 * The bank's `oidc-provider` instance: two first-party public clients, JWT access tokens (RFC 9068,
 * ES256) for the bank API carrying `acr`/`amr`/`auth_time` (and, for an approved transfer, its RFC 9396
 * `authorization_details`), every token bound to the client's DPoP key (`cnf.jkt`, RFC 9449), refresh
 * tokens bound to the same key, state in the database, and the login prompt extended so
 * that `acr_values` forces a new sign-in up the bank's ladder, and `authorization_details` an approval
 * (see `acr-check.ts`).
 * The interaction pages themselves are served by the bank's own routes under `/interaction/:uid`.
 */
export function createProvider(options: ProviderOptions): Provider {
  const { db, logger } = options;
  const provider = new Provider(options.issuer, {
    adapter: dbAdapterFactory(db, options.now),
    clients: bankClients({ origin: options.webOrigin }),
    jwks: { keys: options.secrets.jwks },
    cookies: { keys: options.secrets.cookieKeys },
    acrValues: [...BANK_ACR_VALUES],
    scopes: ['openid', 'profile', 'offline_access'],
    responseTypes: ['code'],
    // acr, amr and auth_time in every ID token (oidc-provider only adds them when requested otherwise).
    claims: { openid: ['sub', 'acr', 'amr', 'auth_time'], profile: ['name'], sid: null },
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'], dPoPSigningAlgValues: [...DPOP_ALGORITHMS] },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      dPoP: dpop(options.secrets),
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => options.apiAudience,
        getResourceServerInfo: resourceServer(options),
        useGrantedResource: () => true,
      },
      richAuthorizationRequests: richAuthorizationRequests(options.apiAudience),
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = logoutPage(form);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = loggedOutPage();
        },
      },
    },
    extraTokenClaims: (ctx) => authenticationClaims(ctx),
    // First-party clients get refresh tokens without `prompt=consent` (OIDC drops offline_access otherwise).
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    findAccount: async (_ctx, sub) => {
      const account = await accounts.byId(db, sub);
      if (!account) return undefined;
      return { accountId: account.id, claims: () => ({ sub: account.id, name: account.name }) };
    },
    interactions: {
      policy: bankInteractionPolicy(),
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Session: 24 * 3600,
      Grant: 14 * 24 * 3600,
      RefreshToken: 7 * 24 * 3600,
    },
    renderError: (ctx, out, error) => {
      logger.warn('oidc.error', {
        error: out.error,
        description: out.error_description,
        cause: String(error),
      });
      ctx.type = 'html';
      ctx.body = messagePage({
        title: 'Something went wrong',
        message:
          out.error === 'invalid_request' ||
          out.error === 'invalid_client' ||
          out.error === 'invalid_redirect_uri'
            ? 'The app sent an invalid sign-in request. Please go back to the app and try again.'
            : 'We could not complete your sign-in. Please go back to the app and try again.',
      });
    },
  });
  provider.on('server_error', (_ctx, error) => logger.error('oidc.server_error', { error: String(error) }));
  return provider;
}
