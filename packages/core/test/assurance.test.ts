import {
  createStepUp,
  evaluateRequirement,
  type IssuerOptions,
  parseChallenges,
  readClaimsChallenge,
  StepUpError,
  type StepUpOptions,
} from '@stepup/core';
import { entra } from '@stepup/core/profiles';
import type { TestIssuer } from '@stepup/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { get, issuer, LEVELS, NOW, now } from './helpers.js';
import { parseWithOauth4webapi } from './oauth4webapi.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const API_ID = '00001111-aaaa-2222-bbbb-3333cccc4444';
const ENTRA_ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;

let as: TestIssuer;
let ms: TestIssuer;
beforeAll(async () => {
  [as, ms] = await Promise.all([issuer(), issuer({ issuer: ENTRA_ISSUER, audience: API_ID })]);
});

function configError(options: Partial<StepUpOptions> & Pick<StepUpOptions, 'issuers'>): StepUpError {
  try {
    createStepUp({
      levels: LEVELS,
      operations: { read: { level: 'standard' } },
      ...options,
    } as StepUpOptions);
  } catch (error) {
    if (error instanceof StepUpError) return error;
    throw error;
  }
  throw new Error('createStepUp accepted the options');
}

/** The Entra profile with the test issuer's local keys. */
const entraIssuer = (extra: Partial<Parameters<typeof entra>[0]> = {}): IssuerOptions => ({
  ...entra({
    tenantId: TENANT,
    audience: API_ID,
    baseline: 'standard',
    levels: { high: 'c1' },
    clientId: API_ID,
    ...extra,
  }),
  jwksUri: undefined,
  jwks: ms.jwks,
  algorithms: ['ES256'],
});
const entraToken = (claims: Record<string, unknown> = {}) =>
  ms.authorization(
    { ver: '2.0', azp: 'b1f3c7a0', scp: 'read', ...claims },
    { typ: 'JWT', omit: ['client_id', 'jti'] },
  );

describe('issuers[i].assurance is validated at construction, naming the field', () => {
  it.each([
    ['an unknown level', { from: 'acr', levels: { platinum: ['x'] } }, 'issuers.0.assurance.levels.platinum'],
    ['acrs without levels', { from: 'acrs' }, 'issuers.0.assurance.levels'],
    ['none with levels', { from: 'none', levels: { high: ['x'] } }, 'issuers.0.assurance.levels'],
    [
      'one value in two levels',
      { from: 'amr', levels: { standard: ['otp'], high: ['otp'] } },
      'issuers.0.assurance.levels.high',
    ],
    ['an unknown baseline', { from: 'none', baseline: 'gold' }, 'issuers.0.assurance.baseline'],
    [
      "Entra's challenge without acrs",
      { from: 'acr', challenge: { format: 'entra', authorizationUri: 'https://login.example/authorize' } },
      'issuers.0.assurance.challenge',
    ],
    [
      'an http authorization_uri',
      {
        from: 'acrs',
        levels: { high: ['c1'] },
        challenge: { format: 'entra', authorizationUri: 'http://x.example/a' },
      },
      'issuers.0.assurance.challenge.authorizationUri',
    ],
    ['an unknown source', { from: 'aal' }, 'issuers.0.assurance.from'],
    ['a typo', { form: 'acr' }, 'issuers.0.assurance.form'],
    ['a freshness claim without a name', { freshness: { claim: '' } }, 'issuers.0.assurance.freshness.claim'],
  ])('%s', (_, assurance, path) => {
    const error = configError({ issuers: [as.config({ assurance: assurance as never })] });
    expect(error.code).toBe('ERR_CONFIG_INVALID');
    expect(error.details.path).toBe(path);
  });

  it('a level known by name only needs acr values when an issuer reads the global acr mapping', () => {
    const error = configError({
      issuers: [as.config()],
      levels: ['standard', { name: 'high', acr: ['urn:h'] }],
    });
    expect(error.details.path).toBe('levels.0.acr');
    expect(error.message).toContain('issuer https://issuer.test reads this level from acr');
  });

  it('a global formatChallenge and a per-issuer challenge are exclusive', () => {
    const error = configError({
      issuers: [as.config(), entraIssuer()],
      formatChallenge: () => ({ scheme: 'Bearer', params: {} }),
    });
    expect(error.details.path).toBe('formatChallenge');
  });
});

describe("Entra's claims challenge", () => {
  const engine = () =>
    createStepUp({
      issuers: [as.config(), entraIssuer()],
      levels: [
        { name: 'standard', acr: ['urn:stepup:acr:standard'] },
        { name: 'high', acr: ['urn:stepup:acr:high'] },
      ],
      operations: { pay: { level: 'high', scope: 'pay' }, hw: { amr: ['hwk'] }, scoped: { scope: 'pay' } },
      realm: 'bank',
      resourceMetadata: 'https://api.test/.well-known/oauth-protected-resource',
      now,
    });

  it('round-trips through our parser, oauth4webapi and readClaimsChallenge, with a decodable claims JSON', async () => {
    const decision = await engine().decide('pay', get(await entraToken()));
    expect(decision.allowed).toBe(false);
    if (decision.allowed) return;
    const header = decision.error.headers['www-authenticate']!;
    expect(decision.error.status).toBe(401);
    const [challenge, ...rest] = parseChallenges(header);
    expect(rest).toEqual([]);
    expect(challenge!.params).toEqual({
      realm: TENANT,
      authorization_uri: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`,
      client_id: API_ID,
      error: 'insufficient_claims',
      error_description: 'The access token does not state how the user authenticated',
      claims: expect.any(String),
      scope: 'pay',
      resource_metadata: 'https://api.test/.well-known/oauth-protected-resource',
    });
    // Standard base64 (Buffer's decoder is independent of the code under test), minified JSON.
    const json = Buffer.from(challenge!.params.claims!, 'base64').toString('utf8');
    expect(JSON.parse(json)).toEqual({ access_token: { acrs: { essential: true, value: 'c1' } } });
    expect(json).toBe('{"access_token":{"acrs":{"essential":true,"value":"c1"}}}');
    const theirs = await parseWithOauth4webapi(header);
    expect(theirs?.[0]).toMatchObject({
      scheme: 'bearer',
      parameters: { error: 'insufficient_claims', claims: challenge!.params.claims },
    });
    expect(readClaimsChallenge(header)).toEqual({
      claims: json,
      contexts: ['c1'],
      authorizationUri: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`,
      realm: TENANT,
      clientId: API_ID,
    });
  });

  it('answers failures that name no context, and other issuers’ tokens, with the RFC 6750/9470 Bearer challenge', async () => {
    const stepUp = engine();
    const hw = await stepUp.decide('hw', get(await entraToken({ acrs: ['c1'] })));
    expect(hw.allowed ? undefined : hw.error.headers['www-authenticate']).toBe(
      'Bearer realm="bank", error="insufficient_user_authentication", error_description="The required authentication methods were not used", resource_metadata="https://api.test/.well-known/oauth-protected-resource"',
    );
    const scoped = await stepUp.decide('scoped', get(await entraToken({ acrs: ['c1'] })));
    expect(
      scoped.allowed ? undefined : [scoped.error.status, scoped.error.headers['www-authenticate']],
    ).toEqual([
      403,
      'Bearer realm="bank", error="insufficient_scope", error_description="The access token lacks a required scope", scope="pay", resource_metadata="https://api.test/.well-known/oauth-protected-resource"',
    ]);
    const other = await stepUp.decide(
      'pay',
      get(await as.authorization({ acr: 'urn:stepup:acr:standard', scope: 'pay' })),
    );
    expect(other.allowed ? undefined : other.error.headers['www-authenticate']).toContain(
      'acr_values="urn:stepup:acr:high"',
    );
  });
});

describe('readClaimsChallenge', () => {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  it.each([
    ['no claims challenge', 'Bearer error="insufficient_user_authentication"', undefined],
    [
      'values and base64url',
      `Bearer error="insufficient_claims", claims="${Buffer.from('{"access_token":{"acrs":{"essential":true,"values":["c2","c3"]}}}').toString('base64url')}"`,
      { claims: '{"access_token":{"acrs":{"essential":true,"values":["c2","c3"]}}}', contexts: ['c2', 'c3'] },
    ],
    [
      'a request for other claims',
      `Bearer error="insufficient_claims", claims="${b64('{"access_token":{"nbf":{"essential":true}}}')}"`,
      { claims: '{"access_token":{"nbf":{"essential":true}}}', contexts: [] },
    ],
  ])('%s', (_, header, expected) => {
    expect(readClaimsChallenge(header)).toEqual(expected);
  });

  it.each([
    ['no claims parameter', 'Bearer error="insufficient_claims"'],
    ['claims that are not base64', 'Bearer error="insufficient_claims", claims="not base64!"'],
    ['claims that are not JSON', `Bearer error="insufficient_claims", claims="${b64('access_token')}"`],
    ['claims that are a JSON array', `Bearer error="insufficient_claims", claims="${b64('["c1"]')}"`],
    [
      'claims that are not UTF-8',
      `Bearer error="insufficient_claims", claims="${Buffer.from([0xff, 0xfe]).toString('base64')}"`,
    ],
  ])('refuses %s', (_, header) => {
    expect(() => readClaimsChallenge(header)).toThrow(
      expect.objectContaining({ code: 'ERR_CHALLENGE_MALFORMED' }),
    );
  });
});

describe('other evidence sources and formatters', () => {
  it('amr: a level proven by a method; no amr is missing, another method is insufficient', async () => {
    const stepUp = createStepUp({
      issuers: [
        as.config({ assurance: { from: 'amr', levels: { standard: ['pwd'], high: ['hwk', 'swk'] } } }),
      ],
      levels: ['standard', 'high'],
      operations: { pay: { level: 'high' } },
      now,
    });
    const codes = [];
    for (const claims of [{ amr: ['pwd', 'swk'] }, {}, { amr: ['pwd'] }]) {
      const decision = await stepUp.decide('pay', get(await as.authorization(claims)));
      codes.push(
        decision.allowed ? decision.level : [decision.error.code, decision.error.headers['www-authenticate']],
      );
    }
    expect(codes).toEqual([
      'high',
      [
        'ERR_ACR_MISSING',
        'Bearer error="insufficient_user_authentication", error_description="The access token does not state how the user authenticated"',
      ],
      [
        'ERR_ACR_INSUFFICIENT',
        'Bearer error="insufficient_user_authentication", error_description="A stronger authentication is required (level high)"',
      ],
    ]);
  });

  it('scope: a level no scope can prove is insufficient, not a request for a made-up scope', async () => {
    const stepUp = createStepUp({
      issuers: [as.config({ assurance: { from: 'scope', levels: { standard: ['read'] } } })],
      levels: ['standard', 'high'],
      operations: { pay: { level: 'high' } },
      now,
    });
    const decision = await stepUp.decide('pay', get(await as.authorization({ scope: 'read' })));
    expect(decision.allowed ? undefined : decision.error.code).toBe('ERR_ACR_INSUFFICIENT');
  });

  it('a per-issuer formatter answers only that issuer’s tokens', async () => {
    const stepUp = createStepUp({
      issuers: [
        as.config({
          assurance: {
            challenge: (error) => ({ scheme: 'Bearer', params: { error: 'custom', code: error.code } }),
          },
        }),
        entraIssuer(),
      ],
      levels: LEVELS,
      operations: { pay: { level: 'high' } },
      now,
    });
    const mine = await stepUp.decide('pay', get(await as.authorization({ acr: 'urn:stepup:acr:standard' })));
    expect(mine.allowed ? undefined : mine.error.headers['www-authenticate']).toBe(
      'Bearer error="custom", code="ERR_ACR_INSUFFICIENT"',
    );
    const none = await stepUp.decide('pay', get());
    expect(none.allowed ? undefined : none.error.headers['www-authenticate']).toBe('Bearer');
  });

  it('a freshness claim and a cache hit give the same answer as the first decision', async () => {
    const stepUp = createStepUp({
      issuers: [as.config({ assurance: { freshness: { claim: 'step_up_at' } } })],
      levels: LEVELS,
      operations: { pay: { level: 'high', maxAge: 300 } },
      now,
    });
    const token = get(
      await as.authorization({ acr: 'urn:stepup:acr:high', auth_time: NOW - 10, step_up_at: NOW - 600 }),
    );
    const first = await stepUp.decide('pay', token);
    const cached = stepUp.decideSync('pay', token);
    expect([first, cached].map((d) => (d?.allowed ? 'allowed' : d?.error.code))).toEqual([
      'ERR_AUTH_TIME_TOO_OLD',
      'ERR_AUTH_TIME_TOO_OLD',
    ]);
    expect(first.allowed ? undefined : first.error.details.authTime).toBe(NOW - 600);
  });

  it('evaluateRequirement without an issuer’s rules reads acr and auth_time, as before profiles', async () => {
    const stepUp = createStepUp({
      issuers: [as.config()],
      levels: LEVELS,
      operations: { pay: { level: 'high', maxAge: 300 } },
      now,
    });
    const decision = await stepUp.decide(
      'pay',
      get(await as.authorization({ acr: 'urn:stepup:acr:high', auth_time: NOW - 10 })),
    );
    if (!decision.allowed) throw decision.error;
    expect(evaluateRequirement(decision.requirement, decision.token, NOW, 0)).toBeUndefined();
    expect(evaluateRequirement(decision.requirement, decision.token, NOW + 600, 0)?.code).toBe(
      'ERR_AUTH_TIME_TOO_OLD',
    );
  });
});
