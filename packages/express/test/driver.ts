import { createServer, type Server } from 'node:http';
import { stepUpErrorHandler, stepUpExpress } from '@stepup/express';
import express from 'express';
import {
  type AppSpec,
  caseHeaders,
  type Deployment,
  type Driver,
  deploymentOf,
} from '../../core/test/conformance/setup.js';
import { close, listen, send } from './http-client.js';

/** One deployment of a table's API as an Express app (the metadata route when it has metadata). */
function appOf(deployment: Deployment): express.Express {
  const stepUp = stepUpExpress(deployment.options);
  const app = express();
  if (deployment.options.metadata !== undefined) app.use(stepUp.metadata());
  for (const route of deployment.routes) {
    if (route.operation === undefined) continue;
    const guard = stepUp.require(route.operation);
    const answer: express.RequestHandler = (req, res) => {
      res.json({
        sub: req.stepUp?.token.subject,
        level: req.stepUp?.level ?? null,
        authorization_details: req.stepUp?.authorizationDetails,
      });
    };
    if (route.method === 'GET') app.get(route.path, guard, answer);
    else app.post(route.path, express.json(), guard, answer);
  }
  app.use(stepUpErrorHandler);
  return app;
}

const joined = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : value);

/** The Express driver: a real server per deployment on an ephemeral 127.0.0.1 port, real HTTP requests. */
export function expressDriver<K>(spec: AppSpec<K>): Driver<K> {
  const servers = new Map<string, Server>();
  return {
    name: 'express (HTTP)',
    async start(kit) {
      for (const deployment of spec.deployments(kit)) {
        const server = createServer(appOf(deployment));
        await listen(server);
        servers.set(deployment.name, server);
      }
    },
    async send(req) {
      const body = req.body === undefined ? undefined : JSON.stringify(req.body);
      const res = await send(servers.get(deploymentOf(req))!, {
        method: req.route.method,
        path: req.route.path + (req.query ?? ''),
        headers: caseHeaders(req),
        ...(body === undefined ? {} : { body }),
      });
      return {
        status: res.status,
        wwwAuthenticate: joined(res.headers['www-authenticate']),
        body: JSON.parse(res.text),
        dpopNonce: joined(res.headers['dpop-nonce']),
      };
    },
    async stop() {
      await Promise.all([...servers.values()].map(close));
      servers.clear();
    },
  };
}
