import { createStepUp, parseChallenges, readClaimsChallenge } from '@stepup/core';
import type { TestIssuer } from '@stepup/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { get, issuer, now } from './helpers.js';
import { parseWithOauth4webapi } from './oauth4webapi.js';
import { API_ID, ENTRA_ISSUER, entraWithKeys, entraToken as mint, TENANT } from './profile-helpers.js';

let as: TestIssuer;
let ms: TestIssuer;
beforeAll(async () => {
  [as, ms] = await Promise.all([issuer(), issuer({ issuer: ENTRA_ISSUER, audience: API_ID })]);
});
const entraIssuer = () => entraWithKeys(ms);
const entraToken = (claims: Record<string, unknown> = {}) => mint(ms, claims);

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
