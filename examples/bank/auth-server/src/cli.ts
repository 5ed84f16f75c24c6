#!/usr/bin/env node
// `npm start -w @stepup-example/auth-server`: the only place that reads the environment.
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Db } from './db/db.js';
import { openPglite } from './db/pglite.js';
import { openPostgres } from './db/postgres.js';
import { jsonLogger } from './logger.js';
import { startAuthServer } from './main.js';

const Env = z.object({
  AS_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  AS_ISSUER: z.url().optional(),
  API_AUDIENCE: z.url().default('http://localhost:4001'),
  WEB_ORIGIN: z.url().default('http://localhost:5173'),
  AS_DATA_DIR: z.string().min(1).optional(),
  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_SCHEMA: z.string().min(1).optional(),
});

const env = Env.parse(process.env);
const logger = jsonLogger(Date.now);
const dataDir = env.AS_DATA_DIR ?? fileURLToPath(new URL('../../.data/auth-server', import.meta.url));
const db: Db = env.DATABASE_URL
  ? await openPostgres({
      connectionString: env.DATABASE_URL,
      ...(env.DATABASE_SCHEMA ? { schema: env.DATABASE_SCHEMA } : {}),
    })
  : await openPglite(dataDir);
logger.info('database.opened', env.DATABASE_URL ? { kind: 'postgresql' } : { kind: 'pglite', dataDir });

const server = await startAuthServer({
  port: env.AS_PORT,
  ...(env.AS_ISSUER ? { issuer: env.AS_ISSUER } : {}),
  apiAudience: env.API_AUDIENCE,
  webOrigin: env.WEB_ORIGIN,
  db,
  logger,
});
logger.info('server.ready', { url: server.url, issuer: server.issuer });

const stop = async () => {
  await server.close();
  await db.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
