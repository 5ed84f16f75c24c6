#!/usr/bin/env node
// `npm start -w @stepup-example/auth-server`: the only place that reads the environment.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createMetadataStore, FIDO_MDS_URL, type MetadataStore } from '@stepup/mds';
import { logDependencyChange, openDatabase, waitForDatabase } from '@stepup-example/db';
import { createLogger, runServer } from '@stepup-example/observability';
import { z } from 'zod';
import { startAuthServer } from './start-auth-server.js';
import { DEMO_TRUST_MODES } from './webauthn/demo-trust.js';

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
  AS_KEY_COOLING_OFF_SECONDS: z.coerce.number().int().positive().optional(),
  BANK_DEMO_TRUST: z.enum(DEMO_TRUST_MODES).optional(),
  LOG_LEVEL: z.enum(['info', 'warn', 'error', 'silent']).default('info'),
});

const env = Env.parse(process.env);
const logger = createLogger({ name: 'bank-auth', level: env.LOG_LEVEL });
const dataDir = env.AS_DATA_DIR ?? fileURLToPath(new URL('../../.data/auth-server', import.meta.url));
const offline = env.MDS_OFFLINE === '1' || env.MDS_OFFLINE === 'true';
const blobFile = env.MDS_BLOB_FILE ?? fileURLToPath(new URL('../../.data/mds-blob.jwt', import.meta.url));

// FIDO metadata: downloaded in the background when reachable, kept in a file, started offline from
// that file; with neither, the server runs without metadata (every authenticator at standard level).
async function startMetadata(onUpdated: () => void): Promise<MetadataStore> {
  const metadata = createMetadataStore({
    source: offline ? false : { url: env.MDS_URL },
    persistence: { file: blobFile },
    ...(env.MDS_ROOT_FILE ? { roots: [await readFile(env.MDS_ROOT_FILE, 'utf8')] } : {}),
    onRefresh: (event) => {
      logger.info('metadata.refresh', { ...event });
      // The persisted BLOB is adopted before the server starts, which re-classifies at start anyway.
      if (event.outcome === 'updated') onUpdated();
    },
  });
  await metadata.start();
  const status = metadata.status();
  if (status.hasData)
    logger.info('metadata.ready', { no: status.no, nextUpdate: status.nextUpdate, stale: status.stale });
  else
    logger.warn('metadata.none', {
      message: env.BANK_DEMO_TRUST
        ? 'no FIDO metadata yet: only the demo trust statement rates authenticators'
        : 'no FIDO metadata yet: every authenticator is unattested (standard level)',
      blobFile,
      offline,
    });
  return metadata;
}

runServer(logger, async () => {
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
  // A BLOB adopted while the server is still starting is re-classified as soon as it is up.
  let reclassify: (() => Promise<unknown>) | undefined;
  let missed = false;
  const reclassifyNow = () => {
    if (!reclassify) {
      missed = true;
      return;
    }
    reclassify().catch((error: unknown) => logger.error('credential.reclassify_failed', { error }));
  };
  let metadata: MetadataStore | undefined;
  try {
    metadata = await startMetadata(reclassifyNow);
    const server = await startAuthServer({
      metadata,
      port: env.AS_PORT,
      ...(env.AS_ISSUER ? { issuer: env.AS_ISSUER } : {}),
      apiAudience: env.API_AUDIENCE,
      webOrigin: env.WEB_ORIGIN,
      db,
      logger,
      ...(env.AS_KEY_COOLING_OFF_SECONDS ? { keyCoolingOffSeconds: env.AS_KEY_COOLING_OFF_SECONDS } : {}),
      ...(env.BANK_DEMO_TRUST ? { demoTrust: env.BANK_DEMO_TRUST } : {}),
    });
    logger.info('server.ready', { url: server.url, issuer: server.issuer });
    reclassify = () => server.reclassify();
    if (missed) reclassifyNow();
    const store = metadata;
    return {
      async close() {
        store.stop();
        await server.close();
        await db.close();
      },
    };
  } catch (error) {
    metadata?.stop();
    await db.close();
    throw error;
  }
});
