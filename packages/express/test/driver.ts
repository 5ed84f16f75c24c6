import { createServer, type Server } from 'node:http';
import { stepUpErrorHandler, stepUpExpress } from '@stepup/express';
import express from 'express';
import type { AppSpec, Driver } from '../../core/test/conformance/setup.js';
import { close, listen, send } from './http-client.js';

/** The Express driver: a real server on an ephemeral 127.0.0.1 port, real HTTP requests. */
export function expressDriver<K>(spec: AppSpec<K>): Driver<K> {
  let server: Server;
  return {
    name: 'express (HTTP)',
    async start(kit) {
      const stepUp = stepUpExpress(spec.options(kit));
      const app = express();
      for (const route of spec.routes) {
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
      server = createServer(app);
      await listen(server);
    },
    async send(req) {
      const body = req.body === undefined ? undefined : JSON.stringify(req.body);
      const res = await send(server, {
        method: req.route.method,
        path: req.route.path + (req.query ?? ''),
        headers: {
          ...req.headers,
          ...(req.authorization === undefined ? {} : { authorization: req.authorization }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body }),
      });
      const wwwAuthenticate = res.headers['www-authenticate'];
      return {
        status: res.status,
        wwwAuthenticate: Array.isArray(wwwAuthenticate) ? wwwAuthenticate.join(', ') : wwwAuthenticate,
        body: JSON.parse(res.text),
      };
    },
    stop: () => close(server),
  };
}
