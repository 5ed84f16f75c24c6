// One running authorization server per test file, with real FIDO metadata for a test vendor.
import { createMetadataStore, type MetadataStore } from '@stepup/mds';
import type { Db } from '@stepup-example/db';
import { attestationVendor, blobSigner, mdsEntry } from '@stepup-example/testkit';
import type { Logger } from '../../src/logger.js';
import { type AuthServer, type AuthServerOptions, startAuthServer } from '../../src/main.js';
import { SoftAuthenticator } from './authenticator.js';

export const KEY_AAGUID = '2fc0579f-8113-47ea-b116-bb5a8db9202a';
export const REVOKED_AAGUID = '77010bd7-212a-4fc9-b236-d2ca5e9d4084';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  event: string;
  fields: Record<string, unknown>;
}

export function recordingLogger(lines: LogLine[]): Logger {
  const push =
    (level: LogLine['level']) =>
    (event: string, fields: Record<string, unknown> = {}) =>
      lines.push({ level, event, fields });
  return { info: push('info'), warn: push('warn'), error: push('error') };
}

export interface Bank {
  server: AuthServer;
  store: MetadataStore;
  logs: LogLine[];
  clock: { offsetMs: number; now(): number };
  vendor: Awaited<ReturnType<typeof attestationVendor>>;
  signer: Awaited<ReturnType<typeof blobSigner>>;
  /** A certified security key of the test vendor (high). */
  securityKey(): SoftAuthenticator;
  /** A synced passkey (standard). */
  syncedPasskey(): SoftAuthenticator;
  close(): Promise<void>;
}

export async function startBank(db: Db, options: Partial<AuthServerOptions> = {}): Promise<Bank> {
  const clock = {
    offsetMs: 0,
    now() {
      return Date.now() + this.offsetMs;
    },
  };
  const now = () => clock.now();
  const vendor = await attestationVendor();
  const signer = await blobSigner();
  const store = createMetadataStore({
    source: false,
    roots: [signer.rootPem],
    revocation: 'fail-open',
    now,
  });
  await store.start();
  await store.load(
    await signer.sign(1, [
      mdsEntry({ aaguid: KEY_AAGUID, roots: [vendor.rootB64], description: 'Acme Key 5' }),
      mdsEntry({
        aaguid: REVOKED_AAGUID,
        roots: [vendor.rootB64],
        description: 'Acme Key 1',
        statuses: ['FIDO_CERTIFIED_L1', 'REVOKED'],
      }),
    ]),
  );
  const logs: LogLine[] = [];
  const server = await startAuthServer({
    port: 0,
    db,
    now,
    logger: recordingLogger(logs),
    metadata: store,
    rateLimit: { max: 1000, windowSeconds: 60 },
    ...options,
  });
  return {
    server,
    store,
    logs,
    clock,
    vendor,
    signer,
    securityKey: () =>
      new SoftAuthenticator({ aaguid: KEY_AAGUID, backupEligible: false, attestation: vendor.attestation }),
    syncedPasskey: () => new SoftAuthenticator({ backupEligible: true, zeroCounter: true }),
    async close() {
      store.stop();
      await server.close();
    },
  };
}
