#!/usr/bin/env node
// `node dist/server/cli.js`: serves the built web client; the only place that reads the environment.
import { createLogger, runServer } from '@stepup-example/observability';
import { z } from 'zod';
import { DEFAULT_WEB_CONFIG, serveWeb } from './index.js';

const Env = z.object({
  WEB_PORT: z.coerce.number().int().min(0).max(65535).default(5173),
  AS_ISSUER: z.url().default(DEFAULT_WEB_CONFIG.issuer),
  API_URL: z.url().default(DEFAULT_WEB_CONFIG.apiUrl),
  API_AUDIENCE: z.url().default(DEFAULT_WEB_CONFIG.apiResource),
  WEB_CLIENT_ID: z.string().min(1).default(DEFAULT_WEB_CONFIG.clientId),
  LOG_LEVEL: z.enum(['info', 'warn', 'error', 'silent']).default('info'),
});

const env = Env.parse(process.env);
const logger = createLogger({ name: 'bank-web', level: env.LOG_LEVEL });

runServer(logger, async () => {
  const web = await serveWeb({
    port: env.WEB_PORT,
    config: {
      issuer: env.AS_ISSUER,
      clientId: env.WEB_CLIENT_ID,
      apiUrl: env.API_URL,
      apiResource: env.API_AUDIENCE,
      scope: DEFAULT_WEB_CONFIG.scope,
    },
  });
  logger.info('server.ready', { url: web.url });
  return web;
});
