// A tiny browser for HTTP tests: a cookie jar (paths ignored: flows are sequential), manual
// redirects, and the bank's JSON endpoints. Every request goes to the real server over HTTP.
import { createHash, randomBytes } from 'node:crypto';
import * as dpop from 'dpop';
import { decodeJwt } from 'jose';
import type { SoftAuthenticator } from './authenticator.js';

export class TestBrowser {
  readonly jar = new Map<string, string>();

  constructor(
    readonly origin: string,
    readonly headers: Record<string, string> = {},
  ) {}

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(new URL(url, this.origin), {
      ...init,
      redirect: 'manual',
      headers: {
        ...this.headers,
        ...(cookie ? { cookie } : {}),
        ...(init.headers as Record<string, string>),
      },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (expired || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return response;
  }

  async postJson(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** Follows redirects on the server until a page, or a redirect leaving it (to a client). */
  async follow(url: string): Promise<{ url: string; response?: Response }> {
    let current = new URL(url, this.origin).href;
    for (let i = 0; i < 10; i++) {
      if (!current.startsWith(this.origin)) return { url: current };
      const response = await this.request(current);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { url: current, response };
      current = new URL(location, current).href;
    }
    throw new Error('too many redirects');
  }
}

export interface AuthorizeParams {
  client_id?: string;
  redirect_uri?: string;
  scope?: string;
  acr_values?: string;
  max_age?: string;
  prompt?: string;
  /** `null`: send no `resource` (the API is the default resource). */
  resource?: string | null;
  /** RFC 9396 `authorization_details` (sent as JSON). */
  authorization_details?: unknown;
  /** RFC 9449 §10: bind the code to the thumbprint of the request's DPoP key (as the web app does). */
  dpop_jkt?: boolean;
}

export const WEB = { client_id: 'bank-web', redirect_uri: 'http://localhost:5173/callback' };
export const IOS = { client_id: 'bank-ios', redirect_uri: 'bank.stepup.example:/oauth/callback' };
export const API = 'http://localhost:4001';

/** An authorization request in flight: where the server sent the browser, and the PKCE verifier. */
export interface Pending {
  verifier: string;
  state: string;
  redirectUri: string;
  clientId: string;
  /** `/interaction/<uid>` when the server asks for a sign-in, else the client redirect. */
  location: string;
  /**
   * The client's DPoP key (RFC 9449), made with the `dpop` package, to which the tokens are bound
   * ({@link authorize} makes one; {@link exchange} makes one when there is none).
   */
  dpop?: dpop.KeyPair;
}

export async function authorize(
  browser: TestBrowser,
  params: AuthorizeParams = {},
): Promise<Pending & { dpop: dpop.KeyPair }> {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('hex');
  const key = await dpop.generateKeyPair('ES256');
  const client = params.client_id === IOS.client_id ? IOS : WEB;
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: params.redirect_uri ?? client.redirect_uri,
    scope: params.scope ?? 'openid profile offline_access accounts:read transfers:write',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state,
  });
  if (params.resource !== null) query.set('resource', params.resource ?? API);
  for (const key of ['acr_values', 'max_age', 'prompt'] as const) {
    const value = params[key];
    if (value !== undefined) query.set(key, value);
  }
  if (params.authorization_details !== undefined) {
    query.set('authorization_details', JSON.stringify(params.authorization_details));
  }
  if (params.dpop_jkt === true) query.set('dpop_jkt', await dpop.calculateThumbprint(key.publicKey));
  const { url } = await browser.follow(`/auth?${query}`);
  return {
    verifier,
    state,
    redirectUri: client.redirect_uri,
    clientId: client.client_id,
    location: url,
    dpop: key,
  };
}

export function interactionPath(pending: Pending): string {
  const path = new URL(pending.location).pathname;
  if (!path.startsWith('/interaction/')) throw new Error(`no interaction: ${pending.location}`);
  return path;
}

/** Signs in on the interaction page with the authenticator; returns the verify answer. */
export async function signIn(
  browser: TestBrowser,
  pending: Pending,
  authenticator: SoftAuthenticator,
  pick?: { id?: string; counter?: number },
) {
  const base = interactionPath(pending);
  const options = await browser.postJson(`${base}/signin/options`, {});
  if (options.status !== 200) return options;
  const answer = authenticator.authenticate(options.body as never, browser.origin, pick);
  return browser.postJson(`${base}/signin/verify`, answer);
}

/** Opens an account on the interaction page; returns the verify answer. */
export async function signUp(
  browser: TestBrowser,
  pending: Pending,
  authenticator: SoftAuthenticator,
  name = 'Ada',
) {
  const base = interactionPath(pending);
  const options = await browser.postJson(`${base}/signup/options`, { name });
  if (options.status !== 200) return options;
  return browser.postJson(
    `${base}/signup/verify`,
    authenticator.register(options.body as never, browser.origin),
  );
}

/**
 * Opens an account with `authenticator` in a plain (standard) request and follows back to the app: the
 * browser then holds the customer's sign-in session and a recent settings session.
 */
export async function openAccount(browser: TestBrowser, authenticator: SoftAuthenticator, name = 'Ada') {
  const answer = await signUp(browser, await authorize(browser), authenticator, name);
  if (answer.status !== 200) throw new Error(`sign-up refused: ${JSON.stringify(answer.body)}`);
  return finish(browser, answer.body.redirectTo);
}

/** After a successful verify: follows to the client and returns the authorization response. */
export async function finish(browser: TestBrowser, redirectTo: unknown): Promise<URLSearchParams> {
  const { url } = await browser.follow(String(redirectTo));
  return callbackParams(url);
}

export function callbackParams(url: string): URLSearchParams {
  if (url.startsWith(WEB.redirect_uri) || url.startsWith(IOS.redirect_uri)) return new URL(url).searchParams;
  throw new Error(`not at the client: ${url}`);
}

/** A token endpoint answer. */
export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/**
 * `POST /token` as the bank's clients send it: with a DPoP proof of `key` (RFC 9449 §5; none when `key`
 * is `null`), made with the `dpop` package, and sent once more with the server's nonce when it answers
 * `use_dpop_nonce` (§8), as oauth4webapi's clients do.
 */
export async function tokenRequest(
  origin: string,
  params: Record<string, string>,
  key: dpop.KeyPair | null,
): Promise<TokenAnswer> {
  const send = async (nonce?: string): Promise<TokenAnswer> => {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (key !== null) headers.dpop = await dpop.generateProof(key, `${origin}/token`, 'POST', nonce);
    const response = await fetch(`${origin}/token`, {
      method: 'POST',
      headers,
      body: new URLSearchParams(params),
    });
    const body = (await response.json()) as Record<string, unknown>;
    return { status: response.status, body, headers: response.headers };
  };
  const first = await send();
  const nonce = first.headers.get('dpop-nonce');
  return first.body.error === 'use_dpop_nonce' && nonce !== null ? send(nonce) : first;
}

/**
 * Exchanges the code with the PKCE verifier and a proof of `key` (default the pending request's DPoP
 * key, or a new one; `null`: no proof).
 */
export async function exchange(origin: string, pending: Pending, code: string, key?: dpop.KeyPair | null) {
  const proofKey = key === undefined ? (pending.dpop ?? (await dpop.generateKeyPair('ES256'))) : key;
  return tokenRequest(
    origin,
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: pending.redirectUri,
      client_id: pending.clientId,
      code_verifier: pending.verifier,
    },
    proofKey,
  );
}

/** Refreshes with a proof of `key`: the key the refresh token is bound to, for it to be accepted. */
export function refresh(origin: string, clientId: string, refreshToken: string, key: dpop.KeyPair | null) {
  return tokenRequest(
    origin,
    { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId },
    key,
  );
}

/** Adds an authenticator from the security settings (needs a recent sign-in on this browser). */
export async function addCredential(
  browser: TestBrowser,
  authenticator: SoftAuthenticator,
  nickname?: string,
) {
  const options = await browser.postJson('/account/credentials/options', {});
  if (options.status !== 200) return options;
  const credential = authenticator.register(options.body as never, browser.origin);
  return browser.postJson('/account/credentials/verify', { credential, ...(nickname ? { nickname } : {}) });
}

/** Removes a credential from the security settings. */
export function removeCredential(browser: TestBrowser, id: string | undefined) {
  return browser.postJson(`/account/credentials/${encodeURIComponent(String(id))}/delete`, {});
}

/**
 * Signs in to the security settings with `authenticator` (with `acr`: confirming at that level, the
 * options then offer only the signed-in customer's credentials reaching it).
 */
export async function settingsSignIn(browser: TestBrowser, authenticator: SoftAuthenticator, acr?: string) {
  const options = await browser.postJson('/account/signin/options', acr ? { acr } : {});
  if (options.status !== 200) return options;
  return browser.postJson(
    '/account/signin/verify',
    authenticator.authenticate(options.body as never, browser.origin),
  );
}

/**
 * After a sign-in attempt: the `acr` of the access token it leads to (following to the app and
 * exchanging the code), or the `error` of the refusal.
 */
export async function tokenAcr(
  browser: TestBrowser,
  pending: Pending,
  answer: { status: number; body: Record<string, unknown> },
): Promise<unknown> {
  if (answer.status !== 200) return answer.body.error;
  const params = await finish(browser, answer.body.redirectTo);
  const tokens = await exchange(browser.origin, pending, String(params.get('code')));
  return decodeJwt(String(tokens.body.access_token)).acr;
}

/** Sends a one-time code on the interaction page (the elevated level's second step). */
export function sendCode(browser: TestBrowser, pending: Pending, code: string) {
  return browser.postJson(`${interactionPath(pending)}/code/verify`, { code });
}

/** Adds an authenticator app in the security settings; returns its seed (base32) and the answers. */
export async function enrolOtp(browser: TestBrowser, codeFor: (secret: string) => string) {
  const options = await browser.postJson('/account/otp/options', {});
  if (options.status !== 200) return { options, secret: undefined, verify: undefined };
  const secret = String(options.body.secret);
  const verify = await browser.postJson('/account/otp/verify', { code: codeFor(secret) });
  return { options, secret, verify };
}

/** The access token's payload after a successful verify (follows to the app, exchanges the code). */
export async function accessTokenAfter(
  browser: TestBrowser,
  pending: Pending,
  answer: { status: number; body: Record<string, unknown> },
) {
  if (answer.status !== 200) throw new Error(`refused: ${JSON.stringify(answer.body)}`);
  const params = await finish(browser, answer.body.redirectTo);
  const tokens = await exchange(browser.origin, pending, String(params.get('code')));
  if (tokens.status !== 200) throw new Error(`token: ${JSON.stringify(tokens.body)}`);
  return { claims: decodeJwt(String(tokens.body.access_token)), tokens: tokens.body };
}
