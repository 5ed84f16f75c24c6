import { type StepUpGrant, stepUpFastify } from '@stepup/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  type AppSpec,
  type CaseRequest,
  caseHeaders,
  type Deployment,
  type Driver,
  deploymentOf,
  type Observed,
} from '../../core/test/conformance/setup.js';
import { send } from '../../express/test/http-client.js';

/** One deployment on Fastify: GET routes name their operation in `config`, POST routes use `require`. */
async function buildApp(deployment: Deployment): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(stepUpFastify, deployment.options);
  const answer = async (request: { stepUp: StepUpGrant | null }) => ({
    sub: request.stepUp?.token.subject,
    level: request.stepUp?.level ?? null,
    authorization_details: request.stepUp?.authorizationDetails,
  });
  for (const route of deployment.routes) {
    if (route.operation === undefined) continue; // the metadata route, which the plugin serves
    if (route.method === 'GET') app.get(route.path, { config: { stepUp: route.operation } }, answer);
    else app.post(route.path, { preHandler: app.stepUp.require(route.operation) }, answer);
  }
  return app;
}

// A repeated header is an array: node:http sends it as several lines, inject as several raw headers.
const headersOf = (req: CaseRequest): Record<string, string | string[]> =>
  Object.fromEntries(Object.entries(caseHeaders(req)).map(([name, value]) => [name, [value].flat()]));

function joined(value: string | string[] | number | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value === undefined ? undefined : String(value);
}

/** A driver with one Fastify app per deployment; `open` readies an app, `exchange` sends to one. */
function fastifyDriver<K>(
  name: string,
  spec: AppSpec<K>,
  open: (app: FastifyInstance) => Promise<unknown>,
  exchange: (app: FastifyInstance, req: CaseRequest) => Promise<Observed>,
): Driver<K> {
  const apps = new Map<string, FastifyInstance>();
  return {
    name,
    async start(kit) {
      for (const deployment of spec.deployments(kit)) {
        const app = await buildApp(deployment);
        await open(app);
        apps.set(deployment.name, app);
      }
    },
    send: (req) => exchange(apps.get(deploymentOf(req))!, req),
    async stop() {
      await Promise.all([...apps.values()].map((app) => app.close()));
      apps.clear();
    },
  };
}

/** Fastify through `app.inject()` (light-my-request): no socket. */
export function injectDriver<K>(spec: AppSpec<K>): Driver<K> {
  return fastifyDriver(
    'fastify (inject)',
    spec,
    async (app) => {
      await app.ready();
    },
    async (app, req) => {
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
        dpopNonce: joined(res.headers['dpop-nonce']),
      };
    },
  );
}

/** Fastify listening on an ephemeral 127.0.0.1 port per deployment, real HTTP requests. */
export function listenerDriver<K>(spec: AppSpec<K>): Driver<K> {
  return fastifyDriver(
    'fastify (HTTP)',
    spec,
    (app) => app.listen({ host: '127.0.0.1', port: 0 }),
    async (app, req) => {
      const res = await send(app.server, {
        method: req.route.method,
        path: req.route.path + (req.query ?? ''),
        headers: caseHeaders(req),
        ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
      });
      return {
        status: res.status,
        wwwAuthenticate: joined(res.headers['www-authenticate']),
        body: JSON.parse(res.text),
        dpopNonce: joined(res.headers['dpop-nonce']),
      };
    },
  );
}
