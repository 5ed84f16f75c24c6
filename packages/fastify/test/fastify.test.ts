import { type AuditEvent, createStepUp, type StepUpOptions } from '@stepup/core';
import { createTestIssuer, type TestIssuer } from '@stepup/core/testing';
import { type StepUpFastifyOptions, stepUpFastify } from '@stepup/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const NOW_MS = Date.parse('2026-11-21T12:00:00Z');
const now = () => NOW_MS;
const HIGH = 'urn:stepup:acr:high';
const STANDARD = 'urn:stepup:acr:standard';
const STEP_UP_CHALLENGE =
  'Bearer realm="bank", error="insufficient_user_authentication", error_description="A stronger authentication is required (level high)", acr_values="urn:stepup:acr:high", max_age="300"';

let issuer: TestIssuer;
let app: FastifyInstance | undefined;
beforeAll(async () => {
  issuer = await createTestIssuer({ now });
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const options = (extra: Partial<StepUpOptions> = {}): StepUpOptions => ({
  issuers: [issuer.config()],
  levels: [
    { name: 'standard', acr: [STANDARD] },
    { name: 'high', acr: [HIGH] },
  ],
  operations: { 'payees:create': { level: 'high', maxAge: 300 } },
  realm: 'bank',
  now,
  ...extra,
});

async function create(pluginOptions: StepUpFastifyOptions): Promise<FastifyInstance> {
  app = Fastify();
  await app.register(stepUpFastify, pluginOptions);
  return app;
}

const standard = () => issuer.authorization({ acr: STANDARD, auth_time: issuer.now() - 10 });
const high = () => issuer.authorization({ acr: HIGH, auth_time: issuer.now() - 10 });
const whoami = async (request: { stepUp: { token: { subject: string }; level?: string } | null }) => ({
  sub: request.stepUp?.token.subject ?? null,
  level: request.stepUp?.level ?? null,
});

describe('stepUpFastify', () => {
  it('fails startup when a route names an operation that no policy defines', async () => {
    const server = await create(options());
    await expect(
      (async () => {
        server.get('/payees', { config: { stepUp: 'payees:delete' } }, whoami);
        await server.ready();
      })(),
    ).rejects.toMatchObject({ code: 'ERR_OPERATION_UNKNOWN', details: { operation: 'payees:delete' } });
  });

  it('refuses an unknown operation in require() at once', async () => {
    const server = await create(options());
    expect(() => server.stepUp.require('payees:delete')).toThrow(
      expect.objectContaining({ code: 'ERR_OPERATION_UNKNOWN' }),
    );
  });

  it('fails registration for invalid options', async () => {
    app = Fastify();
    await expect(app.register(stepUpFastify, { ...options(), clockTolerance: -1 })).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
      details: { path: 'clockTolerance' },
    });
    app = Fastify();
    const engine = createStepUp(options());
    await expect(
      app.register(stepUpFastify, { engine, exposeChalenge: true } as never),
    ).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
      details: { path: 'exposeChalenge' },
    });
  });

  it('guards the automatic HEAD route once, and runs its guard before the route’s own preHandlers', async () => {
    const events: AuditEvent[] = [];
    const seen: (string | null)[] = [];
    const server = await create({ engine: createStepUp(options({ audit: (e) => events.push(e) })) });
    server.get(
      '/payees',
      {
        config: { stepUp: 'payees:create' },
        preHandler: async (request) => {
          seen.push(request.stepUp?.level ?? null);
        },
      },
      whoami,
    );
    server.get('/open', whoami);
    const head = await server.inject({
      method: 'HEAD',
      url: '/payees',
      headers: { authorization: await high() },
    });
    expect(head.statusCode).toBe(200);
    expect(events.map((e) => e.outcome)).toEqual(['allow']);
    const get = await server.inject({
      method: 'GET',
      url: '/payees',
      headers: { authorization: await high() },
    });
    expect(get.json()).toEqual({ sub: 'user-1', level: 'high' });
    expect(seen).toEqual(['high', 'high']);
    const denied = await server.inject({
      method: 'GET',
      url: '/payees',
      headers: { authorization: await standard() },
    });
    expect(denied.statusCode).toBe(401);
    expect(seen).toHaveLength(2);
    expect(events.map((e) => e.outcome)).toEqual(['allow', 'allow', 'deny']);
    const open = await server.inject({
      method: 'GET',
      url: '/open',
      headers: { authorization: await high() },
    });
    expect(open.json()).toEqual({ sub: null, level: null });
  });

  it('answers with the core status, headers and body; exposes the challenge when asked', async () => {
    const server = await create({ ...options(), exposeChallenge: true });
    server.addHook('onRequest', async (_request, reply) => {
      reply.header('access-control-expose-headers', 'X-Request-Id');
    });
    server.post('/payees', { preHandler: server.stepUp.require('payees:create') }, whoami);
    const res = await server.inject({
      method: 'POST',
      url: '/payees',
      headers: { authorization: await standard() },
      payload: { name: 'Alice' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(STEP_UP_CHALLENGE);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['access-control-expose-headers']).toBe('X-Request-Id, WWW-Authenticate');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json()).toEqual({
      error: 'insufficient_user_authentication',
      error_description: 'A stronger authentication is required (level high)',
      code: 'ERR_ACR_INSUFFICIENT',
      acr_values: HIGH,
      max_age: 300,
    });
  });

  it('guards routes declared in child plugins registered after it', async () => {
    const server = await create(options());
    await server.register(
      async (child) => {
        child.get('/payees', { config: { stepUp: 'payees:create' } }, whoami);
      },
      { prefix: '/v1' },
    );
    const res = await server.inject({
      method: 'GET',
      url: '/v1/payees',
      headers: { authorization: await standard() },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'ERR_ACR_INSUFFICIENT' });
  });

  it('adds no exposed header unless asked', async () => {
    const server = await create(options());
    server.post('/payees', { config: { stepUp: 'payees:create' } }, whoami);
    const res = await server.inject({ method: 'POST', url: '/payees' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="bank"');
    expect(res.headers['access-control-expose-headers']).toBeUndefined();
  });

  it('lets body-dependent policies see the parsed, schema-validated body', async () => {
    const server = await create(
      options({
        operations: {
          'transfers:create': ({ request }) => {
            const amount = (request.body as { amount?: unknown } | undefined)?.amount;
            return typeof amount === 'number' && amount > 100_000 ? { level: 'high' } : { level: 'standard' };
          },
        },
      }),
    );
    server.post(
      '/transfers',
      {
        config: { stepUp: 'transfers:create' },
        schema: {
          body: { type: 'object', properties: { amount: { type: 'integer' } }, required: ['amount'] },
        },
      },
      whoami,
    );
    const authorization = await standard();
    // Coerced by the schema from the string "100001" to a number before the policy runs.
    const big = await server.inject({
      method: 'POST',
      url: '/transfers',
      headers: { authorization },
      payload: { amount: '100001' },
    });
    expect(big.statusCode).toBe(401);
    const small = await server.inject({
      method: 'POST',
      url: '/transfers',
      headers: { authorization },
      payload: { amount: 100_000 },
    });
    expect(small.json()).toEqual({ sub: 'user-1', level: 'standard' });
  });
});

describe.each(['native', 'jose'] as const)(
  'composition (%s backend): a denied request never reaches the handler, and nothing crashes',
  (backend) => {
    // A forged token is cold (never cached): it always takes the asynchronous path.
    const forged = async () => {
      const token = await issuer.mint({ acr: HIGH, auth_time: issuer.now() - 10 });
      return `Bearer ${token.slice(0, -4)}AAAA`;
    };
    type Guard = ReturnType<FastifyInstance['stepUp']['require']>;
    const compositions: [string, (server: FastifyInstance, guard: Guard) => object][] = [
      ['config.stepUp', () => ({ config: { stepUp: 'payees:create' } })],
      ['preHandler: require()', (_s, guard) => ({ preHandler: guard })],
      ['preHandler array', (_s, guard) => ({ preHandler: [guard] })],
      [
        'awaited inside an async preHandler (no done)',
        (_s, guard) => ({
          preHandler: async (request: never, reply: never) => {
            await guard(request, reply);
          },
        }),
      ],
      [
        'returned from an async preHandler',
        (_s, guard) => ({ preHandler: async (request: never, reply: never) => guard(request, reply) }),
      ],
      [
        'inside a callback preHandler, passing its done',
        (_s, guard) => ({
          preHandler: (request: never, reply: never, done: () => void) => {
            guard(request, reply, done);
          },
        }),
      ],
      [
        'awaited inside an onRequest hook',
        (_s, guard) => ({
          onRequest: async (request: never, reply: never) => {
            await guard(request, reply);
          },
        }),
      ],
    ];

    it.each(compositions)('%s', async (_, compose) => {
      const server = await create(options({ backend }));
      const handled: string[] = [];
      server.post('/payees', compose(server, server.stepUp.require('payees:create')), async (request) => {
        handled.push(request.stepUp?.token.subject ?? 'none');
        return { ok: true };
      });
      const denied = await server.inject({
        method: 'POST',
        url: '/payees',
        headers: { authorization: await forged() },
      });
      expect(denied.statusCode).toBe(401);
      expect(denied.json().code).toBe('ERR_TOKEN_SIGNATURE');
      const none = await server.inject({ method: 'POST', url: '/payees' });
      expect(none.statusCode).toBe(401);
      const weak = await server.inject({
        method: 'POST',
        url: '/payees',
        headers: { authorization: await standard() },
      });
      expect(weak.statusCode).toBe(401);
      const allowed = await server.inject({
        method: 'POST',
        url: '/payees',
        headers: { authorization: await high() },
      });
      expect(allowed.statusCode).toBe(200);
      expect(handled).toEqual(['user-1']);
    });

    it('passes a policy bug to the error handler as a 500, awaited or not', async () => {
      const server = await create(
        options({ backend, operations: { broken: () => ({ level: 'nonexistent' }) } }),
      );
      const guard = server.stepUp.require('broken');
      server.get('/a', { preHandler: guard }, whoami);
      server.get('/b', { preHandler: async (request, reply) => guard(request, reply) }, whoami);
      for (const url of ['/a', '/b']) {
        const res = await server.inject({ method: 'GET', url, headers: { authorization: await standard() } });
        expect(res.statusCode).toBe(500);
        expect(res.json().code).toBe('ERR_POLICY_INVALID');
      }
    });
  },
);

describe('protected resource metadata (RFC 9728)', () => {
  it('serves the document at the well-known path of the resource when metadata is configured', async () => {
    app = Fastify();
    await app.register(stepUpFastify, {
      ...options({ issuers: [issuer.config({ audience: 'https://api.test/' })] }),
      metadata: { resource: 'https://api.test/', scopesSupported: ['payees:write'] },
    });
    const path = '/.well-known/oauth-protected-resource';
    const res = await app.inject({ method: 'GET', url: path });
    expect([res.statusCode, res.headers['content-type'], res.headers['cache-control']]).toEqual([
      200,
      'application/json; charset=utf-8',
      'public, max-age=3600',
    ]);
    expect(res.json()).toEqual({
      resource: 'https://api.test/',
      authorization_servers: ['https://issuer.test'],
      bearer_methods_supported: ['header'],
      scopes_supported: ['payees:write'],
    });
    expect((await app.inject({ method: 'HEAD', url: path })).statusCode).toBe(200);
  });

  it('serves no metadata route without the option', async () => {
    app = Fastify();
    await app.register(stepUpFastify, options());
    expect(
      (await app.inject({ method: 'GET', url: '/.well-known/oauth-protected-resource' })).statusCode,
    ).toBe(404);
  });
});
