import { type IssuerOptions, StepUpError } from '@stepup/core';
import { entra } from '@stepup/core/profiles';
import type { TestIssuer } from '@stepup/core/testing';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const API_ID = '00001111-aaaa-2222-bbbb-3333cccc4444';
export const ENTRA_ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;

/** The error a call throws; fails the test when it does not throw a StepUpError. */
export function thrown(call: () => unknown): StepUpError {
  try {
    call();
  } catch (error) {
    if (error instanceof StepUpError) return error;
    throw error;
  }
  throw new Error('no error thrown');
}

/** The Entra profile with a test issuer's local keys (ES256) in place of Microsoft's JWKS. */
export const entraWithKeys = (
  ms: TestIssuer,
  extra: Partial<Parameters<typeof entra>[0]> = {},
): IssuerOptions => ({
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

/** An Entra v2 access token: `typ: JWT`, `azp`, `scp`, no `client_id` or `jti`. */
export const entraToken = (ms: TestIssuer, claims: Record<string, unknown> = {}) =>
  ms.authorization(
    { ver: '2.0', azp: 'b1f3c7a0', scp: 'read', ...claims },
    { typ: 'JWT', omit: ['client_id', 'jti'] },
  );
