import { createServer, type Server } from 'node:http';
import { type AuditEvent, createStepUp, isStepUpError, type StepUpOptions } from '@stepup/core';
import { createTestIssuer, type TestIssuer } from '@stepup/core/testing';
import { type StepUpExpressOptions, stepUpErrorHandler, stepUpExpress } from '@stepup/express';
import express from 'express';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { close, listen, send } from './http-client.js';

const NOW_MS = Date.parse('2026-11-21T12:00:00Z');
const now = () => NOW_MS;
const HIGH = 'urn:stepup:acr:high';
const STANDARD = 'urn:stepup:acr:standard';

let issuer: TestIssuer;
let server: Server | undefined;
beforeAll(async () => {
  issuer = await createTestIssuer({ now });
});
afterEach(async () => {
  if (server !== undefined) await close(server);
  server = undefined;
});

const options = (extra: Partial<StepUpOptions> = {}): StepUpOptions => ({
  issuers: [issuer.config()],
  levels: [
    { name: 'standard', acr: [STANDARD] },
    { name: 'high', acr: [HIGH] },
  ],
  operations: {
    'payees:create': { level: 'high', maxAge: 300 },
    'files:read': ({ request }) => (request.params?.path === 'secret/plans.txt' ? { level: 'high' } : {}),
  },
  realm: 'bank',
  now,
  ...extra,
});

async function serve(app: express.Express): Promise<Server> {
  server = createServer(app);
  await listen(server);
  return server;
}

const ok: express.RequestHandler = (req, res) => {
  res.json({ sub: req.stepUp?.token.subject ?? null, level: req.stepUp?.level ?? null });
};

async function payeeApp(adapter: StepUpExpressOptions, extra?: (app: express.Express) => void) {
  const app = express();
  extra?.(app);
  app.post('/payees', express.json(), stepUpExpress(adapter).require('payees:create'), ok);
  return serve(app);
}

const standardToken = () => issuer.authorization({ acr: STANDARD, auth_time: issuer.now() - 10 });
const STEP_UP_CHALLENGE =
  'Bearer realm="bank", error="insufficient_user_authentication", error_description="A stronger authentication is required (level high)", acr_values="urn:stepup:acr:high", max_age="300"';

describe('stepUpExpress', () => {
  it('refuses an operation that no policy defines when the route is declared', () => {
    const stepUp = stepUpExpress(options());
    expect(() => stepUp.require('payees:delete')).toThrow(
      expect.objectContaining({ code: 'ERR_OPERATION_UNKNOWN', details: { operation: 'payees:delete' } }),
    );
  });

  it('refuses invalid options at construction', () => {
    expect(() => stepUpExpress({ ...options(), clockTolerance: -1 })).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG_INVALID',
        details: expect.objectContaining({ path: 'clockTolerance' }),
      }),
    );
    const engine = createStepUp(options());
    expect(() => stepUpExpress({ engine, forwardDenial: true } as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG_INVALID',
        details: expect.objectContaining({ path: 'forwardDenial' }),
      }),
    );
  });

  it('answers denials itself without any error handler: JSON, never an HTML page with a stack', async () => {
    const res = await send(await payeeApp(options()), {
      method: 'POST',
      path: '/payees',
      headers: { authorization: await standardToken() },
    });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(STEP_UP_CHALLENGE);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['access-control-expose-headers']).toBeUndefined();
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.text)).toEqual({
      error: 'insufficient_user_authentication',
      error_description: 'A stronger authentication is required (level high)',
      code: 'ERR_ACR_INSUFFICIENT',
      acr_values: HIGH,
      max_age: 300,
    });
  });

  it("with forwardDenials, hands users' own error handlers the core's error, with status, headers and body", async () => {
    const seen: unknown[] = [];
    const app = express();
    app.get('/payees', stepUpExpress({ ...options(), forwardDenials: true }).require('payees:create'), ok);
    app.use(((err, _req, res, _next) => {
      seen.push(err);
      res.status(err.statusCode).set(err.headers).json({ problem: err.body.code });
    }) satisfies express.ErrorRequestHandler);
    const res = await send(await serve(app), { method: 'GET', path: '/payees' });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="bank"');
    expect(JSON.parse(res.text)).toEqual({ problem: 'ERR_TOKEN_MISSING' });
    expect(seen).toHaveLength(1);
    expect(isStepUpError(seen[0])).toBe(true);
  });

  it('passes a policy bug (ERR_POLICY_INVALID) on to the next error handler, not to the client', async () => {
    const seen: unknown[] = [];
    const app = express();
    const stepUp = stepUpExpress(options({ operations: { broken: () => ({ level: 'nonexistent' }) } }));
    app.get('/broken', stepUp.require('broken'), ok);
    app.use(stepUpErrorHandler);
    app.use(((err, _req, res, _next) => {
      seen.push(err);
      res.status(500).json({ error: 'internal' });
    }) satisfies express.ErrorRequestHandler);
    const res = await send(await serve(app), {
      method: 'GET',
      path: '/broken',
      headers: { authorization: await standardToken() },
    });
    expect(res.status).toBe(500);
    expect(JSON.parse(res.text)).toEqual({ error: 'internal' });
    expect(seen).toEqual([expect.objectContaining({ code: 'ERR_POLICY_INVALID' })]);
  });

  it('exposes the challenge to cross-origin scripts when asked, keeping earlier exposed headers', async () => {
    const srv = await payeeApp({ ...options(), exposeChallenge: true }, (app) => {
      app.use((_req, res, next) => {
        res.setHeader('Access-Control-Expose-Headers', 'X-Request-Id');
        next();
      });
      app.use(stepUpErrorHandler);
    });
    const denied = await send(srv, {
      method: 'POST',
      path: '/payees',
      headers: { authorization: await standardToken() },
    });
    expect(denied.status).toBe(401);
    expect(denied.headers['access-control-expose-headers']).toBe('X-Request-Id, WWW-Authenticate');
    expect(denied.headers['www-authenticate']).toBe(STEP_UP_CHALLENGE);
  });

  it('adds the exposed header alone when nothing was exposed before, and not to allowed responses', async () => {
    const app = express();
    const stepUp = stepUpExpress({ ...options(), exposeChallenge: true });
    app.post('/payees', express.json(), stepUp.require('payees:create'), ok);
    app.use(stepUpErrorHandler);
    const srv = await serve(app);
    const denied = await send(srv, { method: 'POST', path: '/payees' });
    expect(denied.headers['access-control-expose-headers']).toBe('WWW-Authenticate');
    const allowed = await send(srv, {
      method: 'POST',
      path: '/payees',
      headers: { authorization: await issuer.authorization({ acr: HIGH, auth_time: issuer.now() - 10 }) },
    });
    expect(allowed.status).toBe(200);
    expect(JSON.parse(allowed.text)).toEqual({ sub: 'user-1', level: 'high' });
    expect(allowed.headers['access-control-expose-headers']).toBeUndefined();
  });

  it("passes the core's audit events through and accepts a shared engine", async () => {
    const events: AuditEvent[] = [];
    const engine = createStepUp(options({ audit: (event) => events.push(event) }));
    const srv = await payeeApp({ engine });
    await send(srv, { method: 'POST', path: '/payees', headers: { authorization: await standardToken() } });
    expect(events).toEqual([
      expect.objectContaining({
        operation: 'payees:create',
        outcome: 'deny',
        code: 'ERR_ACR_INSUFFICIENT',
        status: 401,
        sub: 'user-1',
        acr: STANDARD,
        level: 'high',
      }),
    ]);
  });

  it('sees the full URL under a mounted router, so a token in the query is refused', async () => {
    const router = express.Router();
    router.get('/payees', stepUpExpress(options()).require('payees:create'), ok);
    const app = express();
    app.use('/api', router);
    app.use(stepUpErrorHandler);
    const res = await send(await serve(app), {
      method: 'GET',
      path: `/api/payees?access_token=${await issuer.mint({ acr: HIGH })}`,
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({
      error: 'invalid_request',
      error_description: 'Access tokens are accepted only in the Authorization header',
      code: 'ERR_REQUEST_MALFORMED',
    });
  });

  it('gives policies route parameters, wildcard segments joined with /', async () => {
    const app = express();
    app.get('/files/*path', stepUpExpress(options()).require('files:read'), ok);
    app.get('/open', ok);
    app.use(stepUpErrorHandler);
    const srv = await serve(app);
    const authorization = await standardToken();
    const secret = await send(srv, {
      method: 'GET',
      path: '/files/secret/plans.txt',
      headers: { authorization },
    });
    expect(secret.status).toBe(401);
    const open = await send(srv, {
      method: 'GET',
      path: '/files/public/menu.txt',
      headers: { authorization },
    });
    expect(JSON.parse(open.text)).toEqual({ sub: 'user-1', level: 'standard' });
    const unguarded = await send(srv, { method: 'GET', path: '/open', headers: { authorization } });
    expect(JSON.parse(unguarded.text)).toEqual({ sub: null, level: null });
  });

  it('sets req.stepUp for each request alone: in sub-apps, in the parent after them, never on another request', async () => {
    const stepUp = stepUpExpress(options());
    const sub = express();
    sub.get('/payees', stepUp.require('payees:create'), (req, _res, next) => {
      expect(req.stepUp?.token.subject).toBe('user-1'); // inside the sub-app
      next('route');
    });
    const app = express();
    app.use('/api', sub);
    app.get('/api/payees', ok); // back in the parent, after the sub-app passed the request on
    app.get('/open', ok);
    app.use(stepUpErrorHandler);
    const srv = await serve(app);
    const authorization = await issuer.authorization({ acr: HIGH, auth_time: issuer.now() - 10 });
    const guarded = await send(srv, { method: 'GET', path: '/api/payees', headers: { authorization } });
    expect([guarded.status, JSON.parse(guarded.text)]).toEqual([200, { sub: 'user-1', level: 'high' }]);
    const open = await send(srv, { method: 'GET', path: '/open', headers: { authorization } });
    expect(JSON.parse(open.text)).toEqual({ sub: null, level: null });
    // A request a handler of the app's own set `stepUp` on keeps what the guard sets after it.
    const own = express();
    own.get('/payees', (req, _res, next) => {
      Object.defineProperty(req, 'stepUp', { value: undefined, writable: true, configurable: true });
      next();
    });
    own.get('/payees', stepUp.require('payees:create'), ok);
    await close(srv);
    server = undefined;
    const res = await send(await serve(own), { method: 'GET', path: '/payees', headers: { authorization } });
    expect(JSON.parse(res.text)).toEqual({ sub: 'user-1', level: 'high' });
  });

  it('sets req.stepUp on a request object that is not an http.IncomingMessage (called without next)', async () => {
    const guard = stepUpExpress(options()).require('payees:create');
    const authorization = await issuer.authorization({ acr: HIGH, auth_time: issuer.now() - 10 });
    const req = {
      method: 'POST',
      originalUrl: '/payees',
      headers: { authorization },
      rawHeaders: ['Authorization', authorization],
      params: {},
    } as unknown as express.Request;
    const res = {} as express.Response;
    expect(await guard(req, res)).toBe(true);
    expect(req.stepUp?.token.subject).toBe('user-1');
    expect(Object.hasOwn(req, 'stepUp')).toBe(true);
  });
});

describe.each(['native', 'jose'] as const)(
  'composition (%s backend): a denied request never reaches the handler',
  (backend) => {
    const forged = async () => {
      const token = await issuer.mint({ acr: HIGH, auth_time: issuer.now() - 10 });
      return `Bearer ${token.slice(0, -4)}AAAA`;
    };
    const high = () => issuer.authorization({ acr: HIGH, auth_time: issuer.now() - 10 });

    it.each([
      ['as route middleware', (guard: ReturnType<ReturnType<typeof stepUpExpress>['require']>) => [guard]],
      [
        'awaited inside another async middleware, with next',
        (guard: ReturnType<ReturnType<typeof stepUpExpress>['require']>) => [
          (async (req, res, next) => {
            await guard(req, res, next);
          }) satisfies express.RequestHandler,
        ],
      ],
      [
        'called inside another middleware with a next of its own',
        (guard: ReturnType<ReturnType<typeof stepUpExpress>['require']>) => [
          ((req, res, next) => {
            guard(req, res, (err?: unknown) => (err === undefined ? next() : next(err)));
          }) satisfies express.RequestHandler,
        ],
      ],
      [
        'awaited without next, checking the result',
        (guard: ReturnType<ReturnType<typeof stepUpExpress>['require']>) => [
          (async (req, res, next) => {
            if (await guard(req, res)) next();
          }) satisfies express.RequestHandler,
        ],
      ],
    ])('%s: forged 401, valid 200, no crash', async (_, compose) => {
      const handled: string[] = [];
      const app = express();
      const guard = stepUpExpress(options({ backend })).require('payees:create');
      app.post('/payees', express.json(), ...compose(guard), (req, res) => {
        handled.push(req.stepUp?.token.subject ?? 'none');
        res.json({ ok: true });
      });
      const srv = await serve(app);
      const denied = await send(srv, {
        method: 'POST',
        path: '/payees',
        headers: { authorization: await forged() },
      });
      expect(denied.status).toBe(401);
      expect(JSON.parse(denied.text).code).toBe('ERR_TOKEN_SIGNATURE');
      const weak = await send(srv, {
        method: 'POST',
        path: '/payees',
        headers: { authorization: await standardToken() },
      });
      expect(weak.status).toBe(401);
      const allowed = await send(srv, {
        method: 'POST',
        path: '/payees',
        headers: { authorization: await high() },
      });
      expect(allowed.status).toBe(200);
      expect(handled).toEqual(['user-1']);
    });

    it('with forwardDenials and stepUpErrorHandler, denials get the same JSON answer', async () => {
      const app = express();
      app.post(
        '/payees',
        express.json(),
        stepUpExpress({ ...options({ backend }), forwardDenials: true }).require('payees:create'),
        ok,
      );
      app.use(stepUpErrorHandler);
      const res = await send(await serve(app), {
        method: 'POST',
        path: '/payees',
        headers: { authorization: await forged() },
      });
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(res.text)).toEqual({
        error: 'invalid_token',
        error_description: 'The access token signature is invalid',
        code: 'ERR_TOKEN_SIGNATURE',
      });
    });

    it('a custom formatChallenge that throws gives a generic 500 and a log line, never a 4xx', async () => {
      const logged: unknown[] = [];
      const srv = await payeeApp(
        options({
          backend,
          formatChallenge: () => {
            throw new Error('bug at /srv/app/format.js:12');
          },
          logger: { warn: () => undefined, error: (...args) => logged.push(args) },
        }),
      );
      const res = await send(srv, {
        method: 'POST',
        path: '/payees',
        headers: { authorization: await standardToken() },
      });
      expect(res.status).toBe(500);
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(JSON.parse(res.text)).toEqual({
        error: 'server_error',
        error_description: 'Internal error',
        code: 'ERR_CHALLENGE_INVALID',
      });
      expect(res.text).not.toContain('/srv/app');
      expect(logged).toHaveLength(1);
    });
  },
);

describe('protected resource metadata (RFC 9728)', () => {
  const withMetadata = (resource: string) =>
    options({ issuers: [issuer.config({ audience: resource })], metadata: { resource } });

  it('serves the document at the well-known path of the resource, GET and HEAD, and nothing else', async () => {
    const stepUp = stepUpExpress(withMetadata('https://api.test/v1'));
    const app = express();
    app.use(stepUp.metadata());
    app.get('/other', (_req, res) => res.json({ other: true }));
    const s = await serve(app);
    const path = '/.well-known/oauth-protected-resource/v1';
    const res = await send(s, { method: 'GET', path: `${path}?x=1` });
    expect([res.status, res.headers['content-type'], res.headers['cache-control']]).toEqual([
      200,
      'application/json; charset=utf-8',
      'public, max-age=3600',
    ]);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(JSON.parse(res.text)).toEqual({
      resource: 'https://api.test/v1',
      authorization_servers: ['https://issuer.test'],
      bearer_methods_supported: ['header'],
    });
    expect((await send(s, { method: 'HEAD', path })).status).toBe(200);
    expect((await send(s, { method: 'POST', path })).status).toBe(404);
    expect((await send(s, { method: 'GET', path: '/.well-known/oauth-protected-resource' })).status).toBe(
      404,
    );
    expect(JSON.parse((await send(s, { method: 'GET', path: '/other' })).text)).toEqual({ other: true });
  });

  it('refuses metadata() at boot when the option is not configured', () => {
    expect(() => stepUpExpress(options()).metadata()).toThrowError(
      expect.objectContaining({
        code: 'ERR_CONFIG_INVALID',
        details: expect.objectContaining({ path: 'metadata' }),
      }),
    );
  });
});
