#!/usr/bin/env node
// `npm start -w @stepup-example/auth-server`: the only place that reads the environment.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createMetadataStore, FIDO_MDS_URL, type MetadataStore } from '@stepup/mds';
import { logDependencyChange, openDatabase, waitForDatabase } from '@stepup-example/db';
import { z } from 'zod';
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
  MDS_URL: z.url().default(FIDO_MDS_URL),
  MDS_OFFLINE: z.enum(['0', '1', 'true', 'false']).default('0'),
  MDS_BLOB_FILE: z.string().min(1).optional(),
  MDS_ROOT_FILE: z.string().min(1).optional(),
});

const env = Env.parse(process.env);
const logger = jsonLogger(Date.now);
const dataDir = env.AS_DATA_DIR ?? fileURLToPath(new URL('../../.data/auth-server', import.meta.url));
// A database still coming up is waited for (a minute at most), not a reason to exit.
const { db, info } = await waitForDatabase(
  () =>
    openDatabase({
      databaseUrl: env.DATABASE_URL,
      ...(env.DATABASE_SCHEMA ? { schema: env.DATABASE_SCHEMA } : {}),
      dataDir,
      max: 5,
    }),
  { onWaiting: (error) => logDependencyChange(logger)({ name: 'database', state: 'down', error }) },
);
logger.info('database.opened', { ...info });

// FIDO metadata: downloaded in the background when reachable, kept in a file, started offline from
// that file; with neither, the server runs without metadata (every authenticator at standard level).
const offline = env.MDS_OFFLINE === '1' || env.MDS_OFFLINE === 'true';
const blobFile = env.MDS_BLOB_FILE ?? fileURLToPath(new URL('../../.data/mds-blob.jwt', import.meta.url));
let reclassify: () => Promise<unknown> = async () => [];
// Re-classifying needs the database: when it is away, the next BLOB update (or restart) does it.
const reclassifyLogged = () =>
  reclassify().catch((error: unknown) =>
    logger.warn('credentials.reclassify_failed', { error: String(error) }),
  );
const metadata: MetadataStore = createMetadataStore({
  source: offline ? false : { url: env.MDS_URL },
  persistence: { file: blobFile },
  ...(env.MDS_ROOT_FILE ? { roots: [await readFile(env.MDS_ROOT_FILE, 'utf8')] } : {}),
  onRefresh: (event) => {
    logger.info('metadata.refresh', { ...event });
    if (event.outcome === 'updated' && event.source !== 'persisted') void reclassifyLogged();
  },
});
await metadata.start();
const status = metadata.status();
if (status.hasData)
  logger.info('metadata.ready', { no: status.no, nextUpdate: status.nextUpdate, stale: status.stale });
else
  logger.warn('metadata.none', {
    message: 'no FIDO metadata yet: every authenticator is unattested (standard level)',
    blobFile,
    offline,
  });

const server = await startAuthServer({
  metadata,
  port: env.AS_PORT,
  ...(env.AS_ISSUER ? { issuer: env.AS_ISSUER } : {}),
  apiAudience: env.API_AUDIENCE,
  webOrigin: env.WEB_ORIGIN,
  db,
  logger,
});
logger.info('server.ready', { url: server.url, issuer: server.issuer });
reclassify = () => server.reclassify();
await reclassifyLogged();

const stop = async () => {
  metadata.stop();
  await server.close();
  await db.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
