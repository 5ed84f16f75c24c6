// The whole bank on free localhost ports: the authorization server (with a test FIDO metadata
// store), the API (trusting the authorization server's JWKS) and the built web client.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMetadataStore, type MetadataStore } from '@stepup/mds';
import { type Db as ApiDb, type BankApi, openPglite as openApiDb, startBankApi } from '@stepup-example/api';
import {
  type Db as AuthDb,
  type AuthServer,
  type AuthServerOptions,
  openPglite as openAuthDb,
  startAuthServer,
} from '@stepup-example/auth-server';
import { blobSigner } from '@stepup-example/testkit';
import { DEFAULT_WEB_CONFIG, serveWeb, type WebServer } from '@stepup-example/web';
import { build } from 'vite';
import { freePort } from './ports.js';

const WEB_ROOT = fileURLToPath(new URL('../../../web/', import.meta.url));

/**
 * The production bundle, as `npm start` builds it. Vite and the React plugin pick the JSX runtime from
 * `NODE_ENV`, which Vitest sets to `test`: set it for the build only.
 */
async function buildWebApp(outDir: string): Promise<void> {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: WEB_ROOT,
      mode: 'production',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = before;
  }
}

export interface Stack {
  readonly as: AuthServer;
  readonly api: BankApi;
  readonly web: WebServer;
  readonly apiDb: ApiDb;
  readonly metadata: MetadataStore;
  readonly signer: Awaited<ReturnType<typeof blobSigner>>;
  close(): Promise<void>;
}

/**
 * Builds the web client into a temporary folder and starts the three servers. `auth` adds options of
 * the authorization server (demo trust, for instance). Its cooling-off period is one second unless
 * given: the flows add an account's first security key from a synced-passkey session, and the period
 * itself is tested in the authorization server's suites.
 */
export async function startStack(options: { auth?: Partial<AuthServerOptions> } = {}): Promise<Stack> {
  const appDir = await mkdtemp(join(tmpdir(), 'stepup-web-'));
  await buildWebApp(appDir);
  const [asPort, apiPort, webPort] = [await freePort(), await freePort(), await freePort()];
  const urls = {
    as: `http://localhost:${asPort}`,
    api: `http://localhost:${apiPort}`,
    web: `http://localhost:${webPort}`,
  };
  const signer = await blobSigner();
  const metadata = createMetadataStore({ source: false, roots: [signer.rootPem], revocation: 'fail-open' });
  await metadata.start();
  const authDb: AuthDb = await openAuthDb(undefined);
  const apiDb: ApiDb = await openApiDb(undefined);
  const as = await startAuthServer({
    port: asPort,
    db: authDb,
    metadata,
    apiAudience: urls.api,
    webOrigin: urls.web,
    rateLimit: { max: 1000, windowSeconds: 60 },
    keyCoolingOffSeconds: 1,
    ...options.auth,
  });
  const api = await startBankApi({
    port: apiPort,
    db: apiDb,
    issuer: { issuer: as.issuer, jwksUri: `${as.issuer}/jwks`, audience: urls.api, algorithms: ['ES256'] },
    webOrigins: [urls.web],
  });
  const web = await serveWeb({
    port: webPort,
    appDir,
    config: { ...DEFAULT_WEB_CONFIG, issuer: as.issuer, apiUrl: urls.api, apiResource: urls.api },
  });
  return {
    as,
    api,
    web,
    apiDb,
    metadata,
    signer,
    async close() {
      await web.close();
      await api.close();
      await as.close();
      metadata.stop();
      await apiDb.close();
      await authDb.close();
      await rm(appDir, { recursive: true, force: true });
    },
  };
}
