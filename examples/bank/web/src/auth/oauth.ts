import type { PaymentInitiation } from '@stepup-example/contract';
import * as oauth from 'oauth4webapi';
import { z } from 'zod';
import type { Config } from '../config.js';
import { forgetSessionKey, indexedDbKeyStore, type KeyPairStore, sessionKeyPair } from './dpop-key.js';
import { withDpopNonce } from './dpop-nonce.js';
import { readStored, removeStored, writeStored } from './storage.js';

/** The signed-in session: tokens and the ID token's account of how the customer signed in. */
export const Session = z.object({
  accessToken: z.string(),
  refreshToken: z.string().optional(),
  /** Epoch milliseconds. */
  expiresAt: z.number(),
  idToken: z.string(),
  sub: z.string(),
  name: z.string().optional(),
  /** The level of the last sign-in (ID token `acr`). */
  acr: z.string().optional(),
  /** When the customer last signed in, epoch seconds (ID token `auth_time`). */
  authTime: z.number().optional(),
});
export type Session = z.output<typeof Session>;

/** What an authorization request waits for, kept across the redirect. */
const Attempt = z.object({
  verifier: z.string(),
  state: z.string(),
  nonce: z.string(),
  maxAge: z.number().optional(),
  acrValues: z.string().optional(),
});

const SESSION_KEY = 'bank.session';
const ATTEMPT_KEY = 'bank.authorization';

/** The authorization server, discovered once, and this app as its client. */
export interface OAuthContext {
  readonly config: Config;
  readonly as: oauth.AuthorizationServer;
  readonly client: oauth.Client;
  readonly redirectUri: string;
  /** `allowInsecureRequests` for `http://localhost` (the example runs without TLS). */
  readonly options: { [oauth.allowInsecureRequests]?: boolean };
  /** Where the session's DPoP key is kept (IndexedDB). */
  readonly keys: KeyPairStore;
  /** oauth4webapi's DPoP handle of the session key (it also keeps the servers' nonces), once made. */
  dpop?: Promise<oauth.DPoPHandle> | undefined;
}

/**
 * The DPoP handle (RFC 9449) of this tab's session key: every token request and API call signs its
 * proof with it, so every token the app holds is bound to the key (`cnf.jkt`) and useless without it.
 */
export function sessionDpop(ctx: OAuthContext): Promise<oauth.DPoPHandle> {
  ctx.dpop ??= sessionKeyPair(ctx.keys).then((keyPair) => oauth.DPoP(ctx.client, keyPair));
  return ctx.dpop;
}

function insecureOptions(url: URL): OAuthContext['options'] {
  return url.protocol === 'http:' && url.hostname === 'localhost'
    ? { [oauth.allowInsecureRequests]: true }
    : {};
}

/** Reads the authorization server's discovery document (OpenID Connect Discovery). */
export async function discover(config: Config): Promise<OAuthContext> {
  const issuer = new URL(config.issuer);
  const options = insecureOptions(issuer);
  const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...options });
  const as = await oauth.processDiscoveryResponse(issuer, response);
  return {
    config,
    as,
    client: { client_id: config.clientId },
    redirectUri: `${window.location.origin}/callback`,
    options,
    keys: indexedDbKeyStore(),
  };
}

/** What a step-up (RFC 9470) asks the authorization server for. */
export interface AuthorizationNeeds {
  readonly acrValues?: string;
  readonly maxAge?: number;
  /** The transfer to approve (RFC 9396 `authorization_details`), exactly as the API wrote it. */
  readonly authorizationDetails?: readonly PaymentInitiation[];
}

/**
 * Sends the browser to the authorization server: authorization code with PKCE (S256), `state` and
 * `nonce`, the API as the resource (RFC 8707), and for a step-up the challenge's `acr_values` and
 * `max_age`, and the transfer to approve as `authorization_details` (RFC 9396 §2, a JSON array);
 * `dpop_jkt` binds the code to the session's DPoP key (RFC 9449 §10), so a code caught on the way back
 * is worthless to whoever lacks the key. Does not return.
 */
export async function startAuthorization(ctx: OAuthContext, needs: AuthorizationNeeds = {}): Promise<never> {
  const verifier = oauth.generateRandomCodeVerifier();
  const attempt = {
    verifier,
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    ...(needs.maxAge === undefined ? {} : { maxAge: needs.maxAge }),
    ...(needs.acrValues === undefined ? {} : { acrValues: needs.acrValues }),
  };
  writeStored(ATTEMPT_KEY, attempt);
  const url = new URL(ctx.as.authorization_endpoint!);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: ctx.config.clientId,
    redirect_uri: ctx.redirectUri,
    scope: ctx.config.scope,
    resource: ctx.config.apiResource,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: attempt.state,
    nonce: attempt.nonce,
    dpop_jkt: await (await sessionDpop(ctx)).calculateThumbprint(),
  };
  if (needs.acrValues) params.acr_values = needs.acrValues;
  if (needs.maxAge !== undefined) params.max_age = String(needs.maxAge);
  if (needs.authorizationDetails !== undefined) {
    params.authorization_details = JSON.stringify(needs.authorizationDetails);
  }
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  window.location.assign(url.href);
  return new Promise<never>(() => {});
}

function sessionFrom(result: oauth.TokenEndpointResponse, now: number, previous?: Session): Session {
  const claims = oauth.getValidatedIdTokenClaims(result);
  const idToken = result.id_token ?? previous?.idToken;
  if (claims === undefined && previous === undefined) throw new Error('the token response has no ID token');
  if (idToken === undefined) throw new Error('the token response has no ID token');
  const name = typeof claims?.name === 'string' ? claims.name : previous?.name;
  const acr = typeof claims?.acr === 'string' ? claims.acr : previous?.acr;
  const authTime = typeof claims?.auth_time === 'number' ? claims.auth_time : previous?.authTime;
  return {
    accessToken: result.access_token,
    refreshToken: result.refresh_token ?? previous?.refreshToken,
    expiresAt: now + (result.expires_in ?? 300) * 1000,
    idToken,
    sub: claims?.sub ?? previous!.sub,
    ...(name === undefined ? {} : { name }),
    ...(acr === undefined ? {} : { acr }),
    ...(authTime === undefined ? {} : { authTime }),
  };
}

/**
 * Finishes the authorization on `/callback`: checks `state` (and `iss`, RFC 9207), exchanges the code
 * with the PKCE verifier, validates the ID token (`nonce`, and `auth_time` against `max_age` when one
 * was asked for) and stores the session.
 * @throws oauth.AuthorizationResponseError when the authorization server answered an error
 * (`access_denied`, `unmet_authentication_requirements`, …).
 */
export async function finishAuthorization(
  ctx: OAuthContext,
  callback: URL,
): Promise<{ session: Session; asked: AuthorizationNeeds }> {
  const attempt = readStored(ATTEMPT_KEY, Attempt);
  removeStored(ATTEMPT_KEY);
  if (attempt === undefined) throw new Error('no sign-in was in progress in this tab');
  const params = oauth.validateAuthResponse(ctx.as, ctx.client, callback, attempt.state);
  const DPoP = await sessionDpop(ctx);
  // The code survives a use_dpop_nonce refusal: the server checks the proof before it looks at the code.
  const result = await withDpopNonce(async () => {
    const response = await oauth.authorizationCodeGrantRequest(
      ctx.as,
      ctx.client,
      oauth.None(),
      params,
      ctx.redirectUri,
      attempt.verifier,
      { ...ctx.options, DPoP },
    );
    return oauth.processAuthorizationCodeResponse(ctx.as, ctx.client, response, {
      expectedNonce: attempt.nonce,
      requireIdToken: true,
      ...(attempt.maxAge === undefined ? {} : { maxAge: attempt.maxAge }),
    });
  });
  const session = sessionFrom(result, Date.now());
  writeStored(SESSION_KEY, session);
  const asked = {
    ...(attempt.acrValues === undefined ? {} : { acrValues: attempt.acrValues }),
    ...(attempt.maxAge === undefined ? {} : { maxAge: attempt.maxAge }),
  };
  return { session, asked };
}

/** The stored session, if any. */
export function storedSession(): Session | undefined {
  return readStored(SESSION_KEY, Session);
}

/**
 * Forgets the session in this tab, and deletes its DPoP key: the tokens bound to it, refresh token
 * included, can no longer be used by anyone.
 */
export async function forgetSession(ctx: OAuthContext): Promise<void> {
  removeStored(SESSION_KEY);
  ctx.dpop = undefined;
  await forgetSessionKey(ctx.keys);
}

/**
 * A session whose access token is good for at least another 30 s, refreshing it when needed (the
 * refreshed token keeps the original `acr` and `auth_time`). `undefined` when it cannot be refreshed.
 * Callers must not run two refreshes at once: the authorization server rotates refresh tokens and
 * treats a second use of one as theft, revoking the grant (see `useSession`).
 */
export async function freshSession(ctx: OAuthContext, session: Session): Promise<Session | undefined> {
  if (session.expiresAt - Date.now() > 30_000) return session;
  if (session.refreshToken === undefined) return undefined;
  const { refreshToken } = session;
  try {
    // The refresh token is bound to the session key: only a proof of that key refreshes it.
    const DPoP = await sessionDpop(ctx);
    const result = await withDpopNonce(async () => {
      const response = await oauth.refreshTokenGrantRequest(ctx.as, ctx.client, oauth.None(), refreshToken, {
        ...ctx.options,
        DPoP,
        additionalParameters: { resource: ctx.config.apiResource },
      });
      return oauth.processRefreshTokenResponse(ctx.as, ctx.client, response);
    });
    const next = sessionFrom(result, Date.now(), session);
    writeStored(SESSION_KEY, next);
    return next;
  } catch (error) {
    console.warn('The session could not be refreshed', error);
    return undefined;
  }
}

/** The authorization server's logout URL for this session (RP-initiated logout), if it has one. */
export function logoutUrl(ctx: OAuthContext, session: Session): string | undefined {
  if (ctx.as.end_session_endpoint === undefined) return undefined;
  const url = new URL(ctx.as.end_session_endpoint);
  url.searchParams.set('client_id', ctx.config.clientId);
  url.searchParams.set('id_token_hint', session.idToken);
  url.searchParams.set('post_logout_redirect_uri', `${window.location.origin}/`);
  return url.href;
}
