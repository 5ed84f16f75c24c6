// One running authorization server per test file, with real FIDO metadata for a test vendor.
import { createMetadataStore, type MetadataStore } from '@stepup/mds';
import type { Db } from '@stepup-example/db';
import type { TestDatabase } from '@stepup-example/db/testing';
import type { Logger } from '@stepup-example/observability';
import { attestationVendor, blobSigner, mdsEntry } from '@stepup-example/testkit';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type AuthServer, type AuthServerOptions, startAuthServer } from '../../src/start-auth-server.js';
import { SoftAuthenticator } from './authenticator.js';

export const KEY_AAGUID = '2fc0579f-8113-47ea-b116-bb5a8db9202a';
/** The cooling-off period the test servers use (the default, 24 hours, is tested on its own). */
export const COOLING_OFF_SECONDS = 3600;
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
  /** Moves the server's clock forward. */
  advance(ms: number): void;
  vendor: Awaited<ReturnType<typeof attestationVendor>>;
  signer: Awaited<ReturnType<typeof blobSigner>>;
  /** A certified security key of the test vendor (high). */
  securityKey(): SoftAuthenticator;
  /** A synced passkey (standard). */
  syncedPasskey(): SoftAuthenticator;
  close(): Promise<void>;
}

/** The test vendor's MDS entries: a certified key (high) and a revoked model. */
export function vendorEntries(vendor: Bank['vendor']) {
  return [
    mdsEntry({ aaguid: KEY_AAGUID, roots: [vendor.rootB64], description: 'Acme Key 5' }),
    mdsEntry({
      aaguid: REVOKED_AAGUID,
      roots: [vendor.rootB64],
      description: 'Acme Key 1',
      statuses: ['FIDO_CERTIFIED_L1', 'REVOKED'],
    }),
  ];
}

/** Adopts a BLOB (serial `no`) in which the model `aaguid` (of the test vendor, or rooted in `roots`) is `REVOKED`. */
export async function adoptRevocation(bank: Bank, no: number, aaguid: string, roots = [bank.vendor.rootB64]) {
  await bank.store.load(
    await bank.signer.sign(no, [
      mdsEntry({ aaguid, roots, description: 'Revoked model', statuses: ['FIDO_CERTIFIED_L2', 'REVOKED'] }),
    ]),
  );
}

/**
 * A server on `db` with a metadata store that trusts the test vendor (`blob: 'none'`: a store
 * that has no BLOB yet, as on a machine without network), a clock that tests can move forward, and
 * the cooling-off period {@link COOLING_OFF_SECONDS}.
 */
export async function startBank(
  db: Db,
  options: Partial<AuthServerOptions> & { blob?: 'vendor' | 'none' } = {},
): Promise<Bank> {
  const { blob = 'vendor', ...serverOptions } = options;
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
  if (blob === 'vendor') await store.load(await signer.sign(1, vendorEntries(vendor)));
  const logs: LogLine[] = [];
  const server = await startAuthServer({
    port: 0,
    db,
    now,
    logger: recordingLogger(logs),
    metadata: store,
    rateLimit: { max: 10_000, windowSeconds: 60 },
    keyCoolingOffSeconds: COOLING_OFF_SECONDS,
    ...serverOptions,
  });
  return {
    server,
    store,
    logs,
    clock,
    advance(ms) {
      clock.offsetMs += ms;
    },
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

/**
 * One server for the suite it is called in, on `database` (opened before the tests, dropped after),
 * its clock put back after each test: `oidc-provider` keeps its own real clock, so a test that moves
 * the server's clock (to end a cooling-off period) must not leave it moved for the next one.
 */
export function bankForSuite(
  database: TestDatabase,
  options: Parameters<typeof startBank>[1] = {},
): { readonly bank: Bank; readonly db: Db } {
  let opened: { bank: Bank; db: Db; drop: () => Promise<void> } | undefined;
  const get = () => {
    if (!opened) throw new Error('the suite has not started');
    return opened;
  };
  beforeAll(async () => {
    const { db, drop } = await database.open();
    opened = { db, drop, bank: await startBank(db, options) };
  });
  afterAll(async () => {
    await opened?.bank.close();
    await opened?.drop();
  });
  afterEach(() => {
    if (opened) opened.bank.clock.offsetMs = 0;
  });
  return {
    get bank() {
      return get().bank;
    },
    get db() {
      return get().db;
    },
  };
}
