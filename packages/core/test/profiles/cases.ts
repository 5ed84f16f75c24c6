import type { ConformanceCase, Expected } from '../conformance/cases.js';
import { ENTRA_API, MFA_TIME, NOW, type ProfileKit, ROUTES, TENANT } from './setup.js';
import { auth0, call, cognito, entra, keycloak, logto, okta, ory, workos } from './tokens.js';

// Every expected value is written out here from the providers' documented formats, independently of
// the code under test. The Entra `claims` value is the one in Microsoft's own example
// ("Claims challenge header format"): base64 of {"access_token":{"acrs":{"essential":true,"value":"c1"}}}.
const ENTRA_C1_CLAIMS = 'eyJhY2Nlc3NfdG9rZW4iOnsiYWNycyI6eyJlc3NlbnRpYWwiOnRydWUsInZhbHVlIjoiYzEifX19';
const ENTRA_AUTHORIZE = `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`;
const HIGH = 'A stronger authentication is required (level high)';
const STANDARD = 'A stronger authentication is required (level standard)';
const NO_LEVEL = 'The access token does not state how the user authenticated';
const NO_TIME = 'The access token does not state when the user authenticated';
const STALE = 'A more recent authentication is required (within 300 seconds)';
const NOT_ACCESS = 'The token is not an access token (typ must be at+jwt)';

const ok = (level: string | null): Expected => ({
  status: 200,
  wwwAuthenticate: undefined,
  body: { sub: 'user-1', level },
});
const stepUp = (
  code: string,
  description: string,
  params: { acr_values?: string; max_age?: number; scope?: string } = {},
): Expected => {
  let header = `Bearer realm="bank", error="insufficient_user_authentication", error_description="${description}"`;
  if (params.acr_values !== undefined) header += `, acr_values="${params.acr_values}"`;
  if (params.max_age !== undefined) header += `, max_age="${params.max_age}"`;
  if (params.scope !== undefined) header += `, scope="${params.scope}"`;
  return {
    status: 401,
    wwwAuthenticate: header,
    body: { error: 'insufficient_user_authentication', error_description: description, code, ...params },
  };
};
const entraChallenge = (code: string, description: string): Expected => ({
  status: 401,
  wwwAuthenticate:
    `Bearer realm="${TENANT}", authorization_uri="${ENTRA_AUTHORIZE}", client_id="${ENTRA_API}", ` +
    `error="insufficient_claims", error_description="${description}", claims="${ENTRA_C1_CLAIMS}"`,
  body: { error: 'insufficient_user_authentication', error_description: description, code, acr_values: 'c1' },
});
const invalid = (code: string, description: string): Expected => ({
  status: 401,
  wwwAuthenticate: `Bearer realm="bank", error="invalid_token", error_description="${description}"`,
  body: { error: 'invalid_token', error_description: description, code },
});

const recent = NOW - 60;
const stale = NOW - 400;

/** Eight providers behind one API: decisions and exact challenges, each by its issuer's rules. */
export const PROFILE_CASES: readonly ConformanceCase<ProfileKit>[] = [
  {
    name: 'no token at all: the plain Bearer challenge, whatever the issuers',
    request: async () => ({ route: ROUTES.payments, body: {} }),
    expect: {
      status: 401,
      wwwAuthenticate: 'Bearer realm="bank"',
      body: { error_description: 'Authentication required', code: 'ERR_TOKEN_MISSING' },
    },
  },
  // Okta: acr values, auth_time, no typ header.
  {
    name: 'okta: one factor meets standard',
    request: call(ROUTES.reports, okta({ acr: 'urn:okta:loa:1fa:any', auth_time: recent })),
    expect: ok('standard'),
  },
  {
    name: 'okta: one factor for high gets acr_values in Okta’s vocabulary',
    request: call(ROUTES.payments, okta({ acr: 'urn:okta:loa:1fa:any', auth_time: recent })),
    expect: stepUp('ERR_ACR_INSUFFICIENT', HIGH, { acr_values: 'urn:okta:loa:2fa:any' }),
  },
  {
    name: 'okta: phr (an alias of high) meets high',
    request: call(ROUTES.payments, okta({ acr: 'phr', auth_time: recent })),
    expect: ok('high'),
  },
  {
    name: 'okta: two factors 400 s ago for a 300 s operation',
    request: call(ROUTES.payees, okta({ acr: 'urn:okta:loa:2fa:any', auth_time: stale })),
    expect: stepUp('ERR_AUTH_TIME_TOO_OLD', STALE, { acr_values: 'urn:okta:loa:2fa:any', max_age: 300 }),
  },
  {
    name: 'okta: an Entra context in an Okta token proves nothing (Okta tokens are read by acr)',
    request: call(ROUTES.payments, okta({ acr: 'urn:okta:loa:1fa:any', acrs: ['c1'], auth_time: recent })),
    expect: stepUp('ERR_ACR_INSUFFICIENT', HIGH, { acr_values: 'urn:okta:loa:2fa:any' }),
  },
  {
    name: 'okta: an ID token (no typ, no cid) replayed as an access token',
    request: call(ROUTES.reports, (kit) =>
      kit.okta.authorization(
        {
          ver: 1,
          amr: ['pwd'],
          acr: 'urn:okta:loa:1fa:any',
          auth_time: recent,
          nonce: 'n-0S6',
          at_hash: 'w6BLQV',
        },
        { typ: null, omit: ['client_id'] },
      ),
    ),
    expect: invalid('ERR_TOKEN_TYPE', NOT_ACCESS),
  },
  {
    name: 'okta: typ JWT is not accepted (only none, with cid, or at+jwt)',
    request: call(ROUTES.reports, (kit) =>
      kit.okta.authorization(
        { cid: '0oa48e74', acr: 'urn:okta:loa:1fa:any' },
        { typ: 'JWT', omit: ['client_id'] },
      ),
    ),
    expect: invalid('ERR_TOKEN_TYPE', NOT_ACCESS),
  },
  // Auth0: a scope proves the level, the Action's MFA time proves freshness.
  {
    name: 'auth0: any token meets the baseline',
    request: call(ROUTES.reports, auth0({ auth_time: recent })),
    expect: ok('standard'),
  },
  {
    name: 'auth0: no step-up scope: 403 insufficient_scope naming it',
    request: call(ROUTES.payments, auth0({ auth_time: recent })),
    expect: {
      status: 403,
      wwwAuthenticate:
        'Bearer realm="bank", error="insufficient_scope", error_description="The access token lacks a required scope", scope="transfer:funds"',
      body: {
        error: 'insufficient_scope',
        error_description: 'The access token lacks a required scope',
        code: 'ERR_SCOPE_INSUFFICIENT',
        scope: 'transfer:funds',
      },
    },
  },
  {
    name: 'auth0: the step-up scope meets high',
    request: call(
      ROUTES.payments,
      auth0({ scope: 'openid transfer:funds', auth_time: recent, [MFA_TIME]: recent }),
    ),
    expect: ok('high'),
  },
  {
    name: 'auth0: in-session step-up: session an hour old (auth_time), MFA a minute ago: fresh',
    request: call(
      ROUTES.payees,
      auth0({ scope: 'transfer:funds', auth_time: NOW - 3600, [MFA_TIME]: recent }),
    ),
    expect: ok('high'),
  },
  {
    name: 'auth0: stale step-up: auth_time fresh, MFA an hour ago: refused (auth_time cannot fool maxAge)',
    request: call(
      ROUTES.payees,
      auth0({ scope: 'transfer:funds', auth_time: NOW - 30, [MFA_TIME]: NOW - 3600 }),
    ),
    expect: stepUp('ERR_AUTH_TIME_TOO_OLD', STALE, { max_age: 300 }),
  },
  {
    name: 'auth0: no MFA time (the Action did not run): missing, never auth_time instead',
    request: call(ROUTES.payees, auth0({ scope: 'transfer:funds', auth_time: NOW - 30 })),
    expect: stepUp('ERR_AUTH_TIME_MISSING', NO_TIME, { max_age: 300 }),
  },
  {
    name: 'auth0: no scope and a stale MFA: one step-up challenge that names the scope too',
    request: call(ROUTES.payees, auth0({ auth_time: NOW - 30, [MFA_TIME]: NOW - 3600 })),
    expect: stepUp('ERR_AUTH_TIME_TOO_OLD', STALE, { max_age: 300, scope: 'transfer:funds' }),
  },
  // Entra: acrs contexts, typ JWT, the claims challenge.
  {
    name: 'entra: no context meets the baseline',
    request: call(ROUTES.reports, entra({})),
    expect: ok('standard'),
  },
  {
    name: 'entra: no acrs for high: the claims challenge for c1',
    request: call(ROUTES.payments, entra({})),
    expect: entraChallenge('ERR_ACR_MISSING', NO_LEVEL),
  },
  {
    name: 'entra: another context (c2) for high: the claims challenge for c1',
    request: call(ROUTES.payments, entra({ acrs: ['c2'] })),
    expect: entraChallenge('ERR_ACR_INSUFFICIENT', HIGH),
  },
  {
    name: 'entra: acrs c1 meets high',
    request: call(ROUTES.payments, entra({ acrs: ['c2', 'c1'] })),
    expect: ok('high'),
  },
  {
    name: 'entra: an Okta acr in an Entra token proves nothing (Entra tokens are read by acrs)',
    request: call(ROUTES.payments, entra({ acr: 'urn:okta:loa:2fa:any' })),
    expect: entraChallenge('ERR_ACR_MISSING', NO_LEVEL),
  },
  {
    name: 'entra: no maxAge is asked of Entra (the policy computes it per issuer)',
    request: call(ROUTES.payees, entra({ acrs: ['c1'] })),
    expect: ok('high'),
  },
  // Keycloak: ACR names mapped to LoAs, typ JWT.
  {
    name: 'keycloak: silver (LoA 1) for high gets acr_values gold',
    request: call(ROUTES.payments, keycloak({ acr: 'silver', auth_time: recent })),
    expect: stepUp('ERR_ACR_INSUFFICIENT', HIGH, { acr_values: 'gold' }),
  },
  {
    name: 'keycloak: gold meets high',
    request: call(ROUTES.payments, keycloak({ acr: 'gold', auth_time: recent })),
    expect: ok('high'),
  },
  {
    name: 'keycloak: an unnamed LoA 2 ("2") meets high',
    request: call(ROUTES.payments, keycloak({ acr: '2', auth_time: recent })),
    expect: ok('high'),
  },
  {
    name: 'keycloak: LoA 0 (SSO cookie, no authentication) does not meet standard',
    request: call(ROUTES.reports, keycloak({ acr: '0', auth_time: recent })),
    expect: stepUp('ERR_ACR_INSUFFICIENT', STANDARD, { acr_values: 'silver gold' }),
  },
  {
    name: 'keycloak: gold 400 s ago for a 300 s operation',
    request: call(ROUTES.payees, keycloak({ acr: 'gold', auth_time: stale })),
    expect: stepUp('ERR_AUTH_TIME_TOO_OLD', STALE, { acr_values: 'gold', max_age: 300 }),
  },
  // Cognito: fixed levels, no typ header, token_use, aud only with resource binding.
  {
    name: 'cognito: level 4 (password + TOTP) a minute ago meets fresh high',
    request: call(
      ROUTES.payees,
      cognito({ acr: 'urn:cognito:loa:4', amr: ['pwd', 'otp', 'mfa'], auth_time: recent }),
    ),
    expect: ok('high'),
  },
  {
    name: 'cognito: level 2 (one emailed code) does not meet high',
    request: call(
      ROUTES.payments,
      cognito({ acr: 'urn:cognito:loa:2', amr: ['email_otp'], auth_time: recent }),
    ),
    expect: stepUp('ERR_ACR_INSUFFICIENT', HIGH, { acr_values: 'urn:cognito:loa:3' }),
  },
  {
    name: 'cognito: an ID token (aud the client, no client_id) is refused',
    request: call(
      ROUTES.reports,
      cognito({ token_use: 'id', acr: 'urn:cognito:loa:4', auth_time: recent }, ['client_id']),
    ),
    expect: invalid('ERR_TOKEN_CLAIMS', 'The access token lacks a required claim or has an invalid one'),
  },
  {
    name: 'cognito: a token with every RFC 9068 claim but token_use id is not an access token',
    request: call(ROUTES.reports, cognito({ token_use: 'id', acr: 'urn:cognito:loa:4', auth_time: recent })),
    expect: invalid('ERR_TOKEN_TYPE', NOT_ACCESS),
  },
  {
    name: 'cognito: an access token without resource binding has no aud',
    request: call(ROUTES.reports, cognito({ acr: 'urn:cognito:loa:1', auth_time: recent }, ['aud'])),
    expect: invalid('ERR_TOKEN_AUDIENCE', 'The access token is not for this resource'),
  },
  // Logto, Ory: acr values over RFC 9470.
  {
    name: 'logto: one factor for high gets acr_values urn:logto:acr:mfa',
    request: call(ROUTES.payments, logto({ acr: 'urn:logto:acr:1fa', amr: ['pwd'], auth_time: recent })),
    expect: stepUp('ERR_ACR_INSUFFICIENT', HIGH, { acr_values: 'urn:logto:acr:mfa' }),
  },
  {
    name: 'logto: mfa meets fresh high',
    request: call(ROUTES.payees, logto({ acr: 'urn:logto:acr:mfa', auth_time: recent })),
    expect: ok('high'),
  },
  {
    name: 'ory: aal1 for high gets acr_values aal2',
    request: call(ROUTES.payments, ory({ acr: 'aal1', auth_time: recent })),
    expect: stepUp('ERR_ACR_INSUFFICIENT', HIGH, { acr_values: 'aal2' }),
  },
  {
    name: 'ory: aal2 meets high',
    request: call(ROUTES.payments, ory({ acr: 'aal2', amr: ['password', 'totp'], auth_time: recent })),
    expect: ok('high'),
  },
  // WorkOS: auth_time only.
  {
    name: 'workos: any token meets the baseline',
    request: call(ROUTES.reports, workos({ auth_time: recent })),
    expect: ok('standard'),
  },
  {
    name: 'workos: high cannot be stated by WorkOS: missing, no acr_values to ask for',
    request: call(ROUTES.payments, workos({ auth_time: recent })),
    expect: stepUp('ERR_ACR_MISSING', NO_LEVEL),
  },
  {
    name: 'workos: a sign-in 400 s ago for a 300 s confirmation',
    request: call(ROUTES.session, workos({ auth_time: stale })),
    expect: stepUp('ERR_AUTH_TIME_TOO_OLD', STALE, { max_age: 300 }),
  },
  {
    name: 'workos: a fresh sign-in confirms',
    request: call(ROUTES.session, workos({ auth_time: recent })),
    expect: ok('standard'),
  },
];
