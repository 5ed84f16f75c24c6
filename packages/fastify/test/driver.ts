import { type StepUpGrant, stepUpFastify } from '@stepup/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppSpec, CaseRequest, Driver } from '../../core/test/conformance/setup.js';
import { send } from '../../express/test/http-client.js';

/** The API on Fastify: GET routes name their operation in `config`, POST routes use `require`. */
async function buildApp<K>(spec: AppSpec<K>, kit: K): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(stepUpFastify, spec.options(kit));
  const answer = async (request: { stepUp: StepUpGrant | null }) => ({
    sub: request.stepUp?.token.subject,
    level: request.stepUp?.level ?? null,
    authorization_details: request.stepUp?.authorizationDetails,
  });
  for (const route of spec.routes) {
    if (route.method === 'GET') app.get(route.path, { config: { stepUp: route.operation } }, answer);
    else app.post(route.path, { preHandler: app.stepUp.require(route.operation) }, answer);
  }
  return app;
}

// A repeated header is an array: node:http sends it as several lines, inject as several raw headers.
const headersOf = (req: CaseRequest): Record<string, string | string[]> => ({
  ...req.headers,
  ...(req.authorization === undefined ? {} : { authorization: [req.authorization].flat() }),
  ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
});

function joined(value: string | string[] | number | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value === undefined ? undefined : String(value);
}

/** Fastify through `app.inject()` (light-my-request): no socket. */
export function injectDriver<K>(spec: AppSpec<K>): Driver<K> {
  let app: FastifyInstance;
  return {
    name: 'fastify (inject)',
    async start(kit) {
      app = await buildApp(spec, kit);
      await app.ready();
    },
    async send(req) {
      const res = await app.inject({
        method: req.route.method,
        url: req.route.path + (req.query ?? ''),
        headers: headersOf(req),
        ...(req.body === undefined ? {} : { payload: JSON.stringify(req.body) }),
      });
      return {
        status: res.statusCode,
        wwwAuthenticate: joined(res.headers['www-authenticate']),
        body: res.json(),
      };
    },
    stop: () => app.close(),
  };
}

/** Fastify listening on an ephemeral 127.0.0.1 port, real HTTP requests. */
export function listenerDriver<K>(spec: AppSpec<K>): Driver<K> {
  let app: FastifyInstance;
  return {
    name: 'fastify (HTTP)',
    async start(kit) {
      app = await buildApp(spec, kit);
      await app.listen({ host: '127.0.0.1', port: 0 });
    },
    async send(req) {
      const res = await send(app.server, {
        method: req.route.method,
        path: req.route.path + (req.query ?? ''),
        headers: headersOf(req),
        ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
      });
      return {
        status: res.status,
        wwwAuthenticate: joined(res.headers['www-authenticate']),
        body: JSON.parse(res.text),
      };
    },
    async stop() {
      await app.close();
    },
  };
}
