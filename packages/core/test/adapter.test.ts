import { createStepUp, type StepUpDenial, StepUpError, type StepUpGrant } from '@stepup/core';
import { createGuard, exposedHeaders, nodeHeaders, resolveAdapterOptions } from '@stepup/core/adapter';
import { describe, expect, it } from 'vitest';
import { ACR, engine, get, issuer, NOW } from './helpers.js';

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

describe('exposedHeaders', () => {
  const denial = new StepUpError('ERR_TOKEN_MISSING', 'Authentication required', {
    headers: { 'www-authenticate': 'Bearer' },
  });
  it('exposes WWW-Authenticate, keeping what a CORS middleware exposed, without touching the error', () => {
    expect(exposedHeaders(denial, undefined)['access-control-expose-headers']).toBe('WWW-Authenticate');
    expect(exposedHeaders(denial, 'X-Request-Id')['access-control-expose-headers']).toBe(
      'X-Request-Id, WWW-Authenticate',
    );
    expect(exposedHeaders(denial, 'x-request-id, www-authenticate')).toBe(denial.headers);
    expect(denial.headers).toEqual({ 'www-authenticate': 'Bearer' });
    expect(Object.isFrozen(denial.headers)).toBe(true);
  });
  it('leaves errors without a challenge alone', () => {
    const error = new StepUpError('ERR_JWKS_UNAVAILABLE', 'down', {
      headers: { 'cache-control': 'no-store' },
    });
    expect(exposedHeaders(error, null)).toEqual({ 'cache-control': 'no-store' });
  });
});

describe('resolveAdapterOptions', () => {
  it('builds the engine from the core options, or takes the given one', async () => {
    const as = await issuer();
    const options = { issuers: [as.config()], operations: { read: {} } };
    const built = resolveAdapterOptions({ ...options, exposeChallenge: true }, 'test');
    expect([built.flags.exposeChallenge, built.engine.operations]).toEqual([true, ['read']]);
    const engine = createStepUp(options);
    expect(resolveAdapterOptions({ engine }, 'test')).toEqual({ engine, flags: { exposeChallenge: false } });
    expect(resolveAdapterOptions({ engine, extra: true }, 'test', ['extra']).flags).toEqual({
      exposeChallenge: false,
      extra: true,
    });
  });
  it('refuses misspelt or mistyped options, beside an engine too, naming each', async () => {
    const as = await issuer();
    const engine = createStepUp({ issuers: [as.config()], operations: { read: {} } });
    const refused = (options: unknown, flags: string[] = []) => {
      try {
        resolveAdapterOptions(options, 'test', flags);
      } catch (error) {
        return { code: (error as StepUpError).code, issues: (error as StepUpError).details.issues };
      }
      return undefined;
    };
    expect(refused({ engine, exposeChalenge: true })).toEqual({
      code: 'ERR_CONFIG_INVALID',
      issues: [{ path: 'exposeChalenge', message: 'not allowed with engine' }],
    });
    expect(refused({ engine, exposeChallenge: 'yes' })?.issues?.[0]?.path).toBe('exposeChallenge');
    expect(refused({ engine, issuers: [] })?.issues).toEqual([
      { path: 'issuers', message: 'not allowed with engine' },
    ]);
    expect(refused({ engine: {} })?.code).toBe('ERR_CONFIG_INVALID');
    expect(refused(null)?.code).toBe('ERR_CONFIG_INVALID');
    expect(refused({ issuers: [as.config()], operations: { read: { maxAge: 0 } } })?.issues?.[0]?.path).toBe(
      'operations.read.maxAge',
    );
    expect(refused({ issuers: [as.config()], operations: {}, exposeChalenge: true })?.issues).toEqual([
      { path: 'exposeChalenge', message: 'unknown option' },
    ]);
  });
});

describe('createGuard', () => {
  const record = () => {
    const calls: string[] = [];
    return {
      calls,
      handlers: {
        allow: (grant: StepUpGrant) => calls.push(`allow ${grant.operation}`),
        deny: (denial: StepUpDenial) => calls.push(`deny ${denial.error.code}`),
      },
    };
  };
  it('settles early denials, cache hits and native verification with keys at hand synchronously', async () => {
    const as = await issuer();
    const guard = createGuard(engine(as), 'read', { exposeChallenge: false });
    const cold = record();
    expect(guard.run(get(await as.authorization({ acr: ACR.standard, auth_time: NOW })), cold.handlers)).toBe(
      undefined,
    );
    expect(cold.calls).toEqual(['allow read']);
  });

  it('settles through one promise when verification is asynchronous (jose, or keys to fetch)', async () => {
    const as = await issuer();
    const stepUp = engine(as, { backend: 'jose' });
    const guard = createGuard(stepUp, 'read', { exposeChallenge: false });
    const early = record();
    expect(guard.run(get(), early.handlers)).toBeUndefined();
    expect(early.calls).toEqual(['deny ERR_TOKEN_MISSING']);
    const authorization = await as.authorization({ acr: ACR.standard, auth_time: NOW });
    const cold = record();
    const pending = guard.run(get(authorization), cold.handlers);
    expect(pending).toBeInstanceOf(Promise);
    expect(cold.calls).toEqual([]);
    await pending;
    expect(cold.calls).toEqual(['allow read']);
    await guard.run(get(authorization), record().handlers); // verified again: admitted to the cache
    const warm = record();
    expect(guard.run(get(authorization), warm.handlers)).toBeUndefined();
    expect(warm.calls).toEqual(['allow read']);
  });
  it('refuses an unknown operation when created, and passes policy bugs on without a handler call', async () => {
    const as = await issuer();
    expect(() => createGuard(engine(as), 'nope', { exposeChallenge: false })).toThrowError(
      expect.objectContaining({ code: 'ERR_OPERATION_UNKNOWN' }),
    );
    const operations = { pay: () => ({ level: 'no-such-level' }) };
    const authorization = await as.authorization({ acr: ACR.standard, auth_time: NOW });
    const calls = record();
    const asyncGuard = createGuard(engine(as, { operations, backend: 'jose' }), 'pay', {
      exposeChallenge: false,
    });
    await expect(asyncGuard.run(get(authorization), calls.handlers)).rejects.toMatchObject({
      code: 'ERR_POLICY_INVALID',
    });
    const syncGuard = createGuard(engine(as, { operations }), 'pay', { exposeChallenge: false });
    expect(() => syncGuard.run(get(authorization), calls.handlers)).toThrowError(
      expect.objectContaining({ code: 'ERR_POLICY_INVALID' }),
    );
    expect(calls.calls).toEqual([]);
  });
  it('adds the exposed-challenge header only when configured', async () => {
    const as = await issuer();
    const stepUp = engine(as);
    let denial: StepUpDenial | undefined;
    const capture = { allow: () => undefined, deny: (d: StepUpDenial) => (denial = d) };
    createGuard(stepUp, 'read', { exposeChallenge: false }).run(get(), capture);
    expect(createGuard(stepUp, 'read', { exposeChallenge: false }).headers(denial!, 'X-A')).toBe(
      denial!.error.headers,
    );
    expect(
      createGuard(stepUp, 'read', { exposeChallenge: true }).headers(denial!, 'X-A')[
        'access-control-expose-headers'
      ],
    ).toBe('X-A, WWW-Authenticate');
  });
});
