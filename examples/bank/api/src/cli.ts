#!/usr/bin/env node
// `npm start -w @stepup-example/api`: the only place that reads the environment.
import { fileURLToPath } from 'node:url';
import { logDependencyChange, openDatabase, waitForDatabase } from '@stepup-example/db';
import { createLogger, runServer } from '@stepup-example/observability';
import { z } from 'zod';
import { startBankApi } from './main.js';

const Env = z.object({
  API_PORT: z.coerce.number().int().min(0).max(65535).default(4001),
  AS_ISSUER: z.url().default('http://localhost:4000'),
  AS_JWKS_URI: z.url().optional(),
  API_AUDIENCE: z.url().default('http://localhost:4001'),
  // The origin clients call (the htu of their DPoP proofs); default the audience's.
  API_PUBLIC_ORIGIN: z.url().optional(),
  WEB_ORIGIN: z.url().default('http://localhost:5173'),
  API_DATA_DIR: z.string().min(1).optional(),
  DATABASE_URL: z.string().min(1).optional(),
  API_DATABASE_SCHEMA: z.string().min(1).default('bank_api'),
  LOG_LEVEL: z.enum(['info', 'warn', 'error', 'silent']).default('info'),
});

const env = Env.parse(process.env);
const logger = createLogger({ name: 'bank-api', level: env.LOG_LEVEL });
const dataDir = env.API_DATA_DIR ?? fileURLToPath(new URL('../../.data/api', import.meta.url));

runServer(logger, async () => {
  // A database still coming up is waited for (a minute at most), not a reason to exit.
  const { db, info } = await waitForDatabase(
    () => openDatabase({ databaseUrl: env.DATABASE_URL, schema: env.API_DATABASE_SCHEMA, dataDir }),
    { onWaiting: (error) => logDependencyChange(logger)({ name: 'database', state: 'down', error }) },
  );
  logger.info('database.opened', { ...info });
  const api = await startBankApi({
    port: env.API_PORT,
    issuer: {
      issuer: env.AS_ISSUER,
      jwksUri: env.AS_JWKS_URI ?? `${env.AS_ISSUER.replace(/\/$/, '')}/jwks`,
      audience: env.API_AUDIENCE,
      algorithms: ['ES256'],
    },
    ...(env.API_PUBLIC_ORIGIN === undefined ? {} : { publicOrigin: env.API_PUBLIC_ORIGIN }),
    webOrigins: [new URL(env.WEB_ORIGIN).origin],
    db,
    logger,
  }).catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  logger.info('server.ready', { url: api.url });
  return {
    async close() {
      await api.close();
      await db.close();
    },
  };
});
