import { createStepUp, exposeChallenge, nodeHeaders, resolveAdapterOptions, StepUpError } from '@stepup/core';
import { describe, expect, it } from 'vitest';

describe('nodeHeaders', () => {
  it('keeps headers as they are when there is at most one Authorization header', () => {
    const headers = { host: 'x', authorization: 'Bearer a' };
    expect(nodeHeaders({ headers, rawHeaders: ['Host', 'x', 'Authorization', 'Bearer a'] })).toBe(headers);
    const none = { host: 'x' };
    expect(nodeHeaders({ headers: none, rawHeaders: ['Host', 'x'] })).toBe(none);
  });
  it('lists every Authorization value Node dropped from headers', () => {
    expect(
      nodeHeaders({
        headers: { host: 'x', authorization: 'Bearer a' },
        rawHeaders: ['Host', 'x', 'authorization', 'Bearer a', 'X-Other', '1', 'AUTHORIZATION', 'Bearer b'],
      }),
    ).toEqual({ host: 'x', authorization: ['Bearer a', 'Bearer b'] });
  });
});

describe('exposeChallenge', () => {
  const denial = () => {
    const error = new StepUpError('ERR_TOKEN_MISSING', 'Authentication required');
    error.headers = { 'www-authenticate': 'Bearer' };
    return error;
  };
  it('exposes WWW-Authenticate, keeping what a CORS middleware exposed', () => {
    const a = denial();
    exposeChallenge(a, undefined);
    expect(a.headers['access-control-expose-headers']).toBe('WWW-Authenticate');
    const b = denial();
    exposeChallenge(b, 'X-Request-Id');
    expect(b.headers['access-control-expose-headers']).toBe('X-Request-Id, WWW-Authenticate');
    const c = denial();
    exposeChallenge(c, 'x-request-id, www-authenticate');
    expect(c.headers['access-control-expose-headers']).toBeUndefined();
  });
  it('leaves errors without a challenge alone', () => {
    const error = new StepUpError('ERR_JWKS_UNAVAILABLE', 'down');
    error.headers = { 'cache-control': 'no-store' };
    exposeChallenge(error, null);
    expect(error.headers).toEqual({ 'cache-control': 'no-store' });
  });
});

describe('resolveAdapterOptions', () => {
  it('builds the engine from the core options, or takes the given one', () => {
    const options = {
      issuers: [{ issuer: 'https://i.test', audience: 'https://a.test', jwks: { keys: [{ kty: 'EC' }] } }],
      operations: { read: {} },
    };
    const built = resolveAdapterOptions({ ...options, exposeChallenge: true });
    expect([built.exposeChallenge, built.engine.operations]).toEqual([true, ['read']]);
    const engine = createStepUp(options);
    expect(resolveAdapterOptions({ engine })).toEqual({ engine, exposeChallenge: false });
    expect(() => resolveAdapterOptions({ ...options, operations: { read: { maxAge: 0 } } })).toThrowError(
      expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }),
    );
  });
});
