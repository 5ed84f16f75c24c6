import { createStepUp, evaluateRequirement, StepUpError, type StepUpOptions } from '@stepup/core';
import type { TestIssuer } from '@stepup/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { get, issuer, LEVELS, NOW, now } from './helpers.js';
import { API_ID, ENTRA_ISSUER, entraWithKeys } from './profile-helpers.js';

let as: TestIssuer;
let ms: TestIssuer;
beforeAll(async () => {
  [as, ms] = await Promise.all([issuer(), issuer({ issuer: ENTRA_ISSUER, audience: API_ID })]);
});
const entraIssuer = () => entraWithKeys(ms);

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
    await stepUp.decide('pay', token); // verified again: admitted to the cache
    const cached = stepUp.decideSync('pay', token);
    expect([first, cached].map((d) => (d?.allowed ? 'allowed' : d?.error.code))).toEqual([
      'ERR_AUTH_TIME_TOO_OLD',
      'ERR_AUTH_TIME_TOO_OLD',
    ]);
    expect(first.allowed ? undefined : first.error.details.authTime).toBe(NOW - 600);
  });

  it('untypedTokens: a token without typ needs the mark as a non-empty string with the configured value', async () => {
    const stepUp = createStepUp({
      issuers: [as.config({ untypedTokens: { claim: 'token_use', value: 'access' } })],
      levels: LEVELS,
      operations: { read: {} },
      now,
    });
    const codes = [];
    for (const [claims, typ] of [
      [{ token_use: 'access' }, null],
      [{ token_use: 'access' }, 'at+jwt'],
      [{ token_use: null }, null],
      [{ token_use: 'id' }, null],
      [{}, null],
      [{ token_use: 'access' }, 'JWT'],
      [{ token_use: 'access' }, ''],
    ] as const) {
      const decision = await stepUp.decide('read', get(await as.authorization(claims, { typ })));
      codes.push(decision.allowed ? 'allowed' : decision.error.code);
    }
    expect(codes).toEqual([
      'allowed',
      'allowed',
      'ERR_TOKEN_TYPE',
      'ERR_TOKEN_TYPE',
      'ERR_TOKEN_TYPE',
      'ERR_TOKEN_TYPE',
      'ERR_TOKEN_TYPE',
    ]);
  });

  it('a freshness claim named like an Object member reads only the token’s own claim', async () => {
    const stepUp = createStepUp({
      issuers: [as.config({ assurance: { freshness: { claim: 'constructor' } } })],
      levels: LEVELS,
      operations: { pay: { maxAge: 300 } },
      now,
    });
    const decision = await stepUp.decide('pay', get(await as.authorization({ auth_time: NOW })));
    expect(decision.allowed ? undefined : decision.error.code).toBe('ERR_AUTH_TIME_MISSING');
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
