import { type StepUpGrant, stepUpFastify } from '@stepup/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { runConformance } from '../../core/test/conformance/run.js';
import {
  type CaseRequest,
  caseHeaders,
  type Deployment,
  type Driver,
  deploymentOf,
  deployments,
} from '../../core/test/conformance/setup.js';
import { send } from '../../express/test/http-client.js';

/** One deployment on Fastify: GET routes name their operation in `config`, POST routes use `require`. */
async function buildApp(deployment: Deployment): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(stepUpFastify, deployment.options);
  const answer = async (request: { stepUp: StepUpGrant | null }) => ({
    sub: request.stepUp?.token.subject,
    level: request.stepUp?.level ?? null,
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

/** Fastify through `app.inject()` (light-my-request): no socket. */
function injectDriver(): Driver {
  const apps = new Map<string, FastifyInstance>();
  return {
    name: 'fastify (inject)',
    async start(kit) {
      for (const deployment of deployments(kit)) {
        const app = await buildApp(deployment);
        await app.ready();
        apps.set(deployment.name, app);
      }
    },
    async send(req) {
      const res = await apps.get(deploymentOf(req))!.inject({
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
    stop: async () => {
      await Promise.all([...apps.values()].map((app) => app.close()));
    },
  };
}

/** Fastify listening on an ephemeral 127.0.0.1 port per deployment, real HTTP requests. */
function listenerDriver(): Driver {
  const apps = new Map<string, FastifyInstance>();
  return {
    name: 'fastify (HTTP)',
    async start(kit) {
      for (const deployment of deployments(kit)) {
        const app = await buildApp(deployment);
        await app.listen({ host: '127.0.0.1', port: 0 });
        apps.set(deployment.name, app);
      }
    },
    async send(req) {
      const res = await send(apps.get(deploymentOf(req))!.server, {
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
    stop: async () => {
      await Promise.all([...apps.values()].map((app) => app.close()));
    },
  };
}

runConformance(injectDriver());
runConformance(listenerDriver());
