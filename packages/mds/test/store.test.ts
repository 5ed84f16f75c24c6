import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BlobPersistence,
  createMetadataStore,
  type MetadataStoreOptions,
  type RefreshEvent,
  type Scheduler,
} from '@stepup/mds';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { entry, payload, signBlob } from './helpers/blob.js';
import { type BlobPki, CrlServer, createBlobPki, NOW } from './helpers/pki.js';

const AAGUID = '0a6e3d2c-7f41-4b55-9c1e-5a1f0e0d7b21';
const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);

/** Timers the test fires by hand. */
class FakeScheduler implements Scheduler {
  timers = new Map<number, { callback: () => void; ms: number }>();
  #id = 0;
  setTimeout(callback: () => void, ms: number): unknown {
    this.#id++;
    this.timers.set(this.#id, { callback, ms });
    return this.#id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** The only pending timer's delay. */
  get delay(): number | undefined {
    expect(this.timers.size).toBeLessThanOrEqual(1);
    return [...this.timers.values()][0]?.ms;
  }
  fire(): void {
    const [id, timer] = [...this.timers.entries()][0]!;
    this.timers.delete(id);
    timer.callback();
  }
}

let crls: CrlServer;
let pki: BlobPki;
let served: { status: number; body: string };
let downloads = 0;
let dir: string;
let now: number;
let scheduler: FakeScheduler;
let events: RefreshEvent[];

beforeAll(async () => {
  crls = await CrlServer.start();
  pki = await createBlobPki(crls, 'Store');
  crls.route('/mds', (res) => {
    downloads++;
    res.writeHead(served.status, { 'content-type': 'application/jwt' }).end(served.body);
  });
});
afterAll(() => crls.close());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepup-mds-'));
  now = NOW.getTime();
  crls.clock = () => now;
  scheduler = new FakeScheduler();
  events = [];
  downloads = 0;
  served = { status: 503, body: '' };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const blob = (no: number, nextUpdate = '2025-06-20') =>
  signBlob(
    pki,
    payload(
      no,
      [entry({ aaguid: AAGUID }), entry({ aaid: 'FFFF#0001' }), entry({ keyIds: ['0a0b0c'] })],
      nextUpdate,
    ),
  );
const serve = async (no: number, nextUpdate?: string) => {
  served = { status: 200, body: await blob(no, nextUpdate) };
};
const offline: typeof fetch = async () => {
  throw new TypeError('fetch failed');
};

function store(o: MetadataStoreOptions = {}) {
  return createMetadataStore({
    roots: [pki.rootPem],
    source: { url: `${crls.base}/mds` },
    persistence: { file: join(dir, 'mds', 'blob.jwt') },
    now: () => now,
    // A scheduler is an object with exactly these two members (the option is strict).
    scheduler: {
      setTimeout: (cb, ms) => scheduler.setTimeout(cb, ms),
      clearTimeout: (h) => scheduler.clearTimeout(h),
    },
    onRefresh: (e) => events.push(e),
    ...o,
  });
}

describe('createMetadataStore', () => {
  it('starts offline from the persisted BLOB and schedules the refresh at nextUpdate', async () => {
    await writeFile(join(dir, 'persisted.jwt'), await blob(3));
    const s = store({
      persistence: { file: join(dir, 'persisted.jwt') },
      fetch: offline,
      source: { url: 'https://mds.invalid/', fetch: offline },
    });
    await s.start();
    expect(s.status()).toMatchObject({ hasData: true, no: 3, nextUpdate: '2025-06-20', stale: false });
    expect(s.current()?.certificates[0]?.revocation).toBe('not_checked');
    expect(s.lookupAaguid(AAGUID)?.aaguid).toBe(AAGUID);
    expect(s.lookupAaid('ffff#0001')?.aaid).toBe('FFFF#0001');
    expect(s.lookupKeyId('0A0B0C')?.attestationCertificateKeyIdentifiers).toEqual(['0a0b0c']);
    expect(s.lookupKeyId('0a0b0d')).toBeUndefined();
    expect(events).toEqual([
      {
        source: 'persisted',
        outcome: 'updated',
        at: new Date(now).toISOString(),
        no: 3,
        nextUpdate: '2025-06-20',
      },
    ]);
    expect(scheduler.delay).toBe(Date.parse('2025-06-20T00:00:00Z') - now);
    s.stop();
    expect(scheduler.timers.size).toBe(0);
  });

  it('without data, refreshes right away in the background, adopts and persists', async () => {
    await serve(5);
    const s = store();
    await s.start();
    expect(s.status()).toMatchObject({ hasData: false, stale: true });
    expect(scheduler.delay).toBe(0);
    scheduler.fire();
    const event = await s.refresh(); // joins the refresh the timer started
    expect(downloads).toBe(1);
    expect(event).toMatchObject({
      source: 'network',
      outcome: 'updated',
      no: 5,
      nextAttemptAt: '2025-06-20T00:00:00.000Z',
    });
    expect(s.status()).toMatchObject({ hasData: true, no: 5, stale: false, lastRefresh: event });
    expect(await readFile(join(dir, 'mds', 'blob.jwt'), 'utf8')).toBe(served.body);
    expect(scheduler.delay).toBe(Date.parse('2025-06-20T00:00:00Z') - now);
  });

  it('the same no again is "unchanged"; a lower no is a refused rollback', async () => {
    const s = store();
    await serve(5);
    expect((await s.refresh()).outcome).toBe('updated');
    await serve(5);
    expect(await s.refresh()).toMatchObject({ outcome: 'unchanged', no: 5, previousNo: 5 });
    await serve(4);
    expect(await s.refresh()).toMatchObject({
      outcome: 'failed',
      no: 5,
      error: { code: 'ERR_BLOB_ROLLBACK' },
    });
    expect(s.current()?.no).toBe(5);
  });

  it('load() verifies and adopts, refusing a no not greater than the current one', async () => {
    const s = store({ source: false });
    expect((await s.load(await blob(10))).no).toBe(10);
    await expect(s.load(await blob(10))).rejects.toMatchObject({
      code: 'ERR_BLOB_ROLLBACK',
      details: { no: 10, minNo: 10 },
    });
    await expect(s.load(await blob(9))).rejects.toMatchObject({ code: 'ERR_BLOB_ROLLBACK' });
    await expect(s.load('garbage')).rejects.toMatchObject({ code: 'ERR_BLOB_MALFORMED' });
    expect((await s.load(await blob(11))).no).toBe(11);
    expect(events.map((e) => [e.source, e.outcome, e.no])).toEqual([
      ['explicit', 'updated', 10],
      ['explicit', 'updated', 11],
    ]);
  });

  it('keeps serving the last good data when refreshes fail after nextUpdate, and reports stale after maxStaleness', async () => {
    await writeFile(join(dir, 'persisted.jwt'), await blob(3, '2025-05-20'));
    now = at('2025-05-25T00:00:00Z');
    const s = store({
      persistence: { file: join(dir, 'persisted.jwt') },
      maxStaleness: 7 * DAY,
      retry: { minDelay: 1000, maxDelay: 8000 },
    });
    await s.start();
    expect(s.status()).toMatchObject({ no: 3, stale: false });
    expect(scheduler.delay).toBe(0); // nextUpdate has passed: refresh now
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      scheduler.fire();
      const event = await s.refresh();
      expect(event).toMatchObject({ outcome: 'failed', no: 3, error: { code: 'ERR_FETCH_FAILED' } });
      delays.push(scheduler.delay!);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(s.lookupAaguid(AAGUID)?.aaguid).toBe(AAGUID);
    now = at('2025-05-27T00:00:00Z');
    expect(s.status().stale).toBe(false);
    now = at('2025-05-27T00:00:01Z');
    expect(s.status()).toMatchObject({ hasData: true, no: 3, stale: true });
    await serve(4, '2025-06-30');
    scheduler.fire();
    expect(await s.refresh()).toMatchObject({ outcome: 'updated', no: 4, previousNo: 3 });
    expect(s.status().stale).toBe(false);
  });

  it('a confirmation of the same no after nextUpdate keeps the data fresh, and retries every maxDelay', async () => {
    const s = store({ maxStaleness: DAY, retry: { minDelay: 1000, maxDelay: 3_600_000 } });
    await serve(3, '2025-05-01');
    await s.start();
    scheduler.fire();
    expect(await s.refresh()).toMatchObject({ outcome: 'updated' });
    expect(scheduler.delay).toBe(3_600_000);
    now = NOW.getTime() + 2 * DAY;
    expect(s.status().stale).toBe(true);
    scheduler.fire();
    expect(await s.refresh()).toMatchObject({ outcome: 'unchanged' });
    expect(s.status().stale).toBe(false);
  });

  it('refuses a BLOB whose signing certificate was revoked since, and keeps the old one', async () => {
    const s = store();
    await serve(5);
    await s.refresh();
    const revokedPki = await createBlobPki(crls, 'StoreRevoked');
    crls.revoke('storerevoked-intermediate', revokedPki.signer.cert);
    served = { status: 200, body: await signBlob(revokedPki, payload(6, [])) };
    const s2 = store({ roots: [revokedPki.rootPem], persistence: { file: join(dir, 'other.jwt') } });
    expect(await s2.refresh()).toMatchObject({ outcome: 'failed', error: { code: 'ERR_BLOB_CERT_REVOKED' } });
    expect(s2.status()).toMatchObject({ hasData: false });
    expect(await s.refresh()).toMatchObject({
      outcome: 'failed',
      no: 5,
      error: { code: 'ERR_BLOB_CHAIN_UNTRUSTED' },
    });
  });

  it('bounds the download size', async () => {
    await serve(5);
    const s = store({ maxBytes: 200 });
    expect(await s.refresh()).toMatchObject({ outcome: 'failed', error: { code: 'ERR_BLOB_TOO_LARGE' } });
  });

  it('coalesces concurrent refreshes into one download', async () => {
    await serve(5);
    const s = store();
    const [a, b] = await Promise.all([s.refresh(), s.refresh()]);
    expect(a).toBe(b);
    expect(downloads).toBe(1);
  });

  it('reports an unreadable persisted BLOB and carries on', async () => {
    await writeFile(join(dir, 'persisted.jwt'), 'not a blob');
    const s = store({ persistence: { file: join(dir, 'persisted.jwt') } });
    await s.start();
    expect(events).toMatchObject([
      { source: 'persisted', outcome: 'failed', error: { code: 'ERR_BLOB_MALFORMED' } },
    ]);
    expect(s.status().hasData).toBe(false);
    const broken: BlobPersistence = {
      load: async () => {
        throw new Error('disk on fire');
      },
      save: async () => undefined,
    };
    const s2 = store({ persistence: broken });
    await s2.start();
    expect(events.at(-1)).toMatchObject({
      source: 'persisted',
      outcome: 'failed',
      error: { code: 'ERR_PERSISTENCE_FAILED' },
    });
  });

  it('a failing save keeps the BLOB adopted and says so', async () => {
    const failing: BlobPersistence = {
      load: async () => null,
      save: async () => {
        throw new Error('read-only');
      },
    };
    const s = store({ persistence: failing, source: false });
    await expect(s.load(await blob(2))).rejects.toMatchObject({ code: 'ERR_PERSISTENCE_FAILED' });
    expect(s.current()?.no).toBe(2);
    const s2 = store({ persistence: failing });
    await serve(3);
    expect(await s2.refresh()).toMatchObject({
      outcome: 'updated',
      no: 3,
      error: { code: 'ERR_PERSISTENCE_FAILED' },
    });
  });

  it('a throwing onRefresh hook does not break the store', async () => {
    await serve(5);
    const s = store({
      onRefresh: () => {
        throw new Error('hook');
      },
    });
    expect((await s.refresh()).outcome).toBe('updated');
  });

  it('without a source: nothing is scheduled and refresh says why', async () => {
    const s = store({ source: false });
    await s.start();
    expect(scheduler.timers.size).toBe(0);
    expect(await s.refresh()).toMatchObject({ outcome: 'failed', error: { code: 'ERR_NO_SOURCE' } });
  });

  it('waits past the longest setTimeout in several steps', async () => {
    await writeFile(join(dir, 'persisted.jwt'), await blob(3, '2025-07-15'));
    const s = store({ persistence: { file: join(dir, 'persisted.jwt') } });
    await s.start();
    expect(scheduler.delay).toBe(2 ** 31 - 1);
    now = now + 2 ** 31 - 1;
    scheduler.fire();
    expect(downloads).toBe(0);
    expect(scheduler.delay).toBe(Date.parse('2025-07-15T00:00:00Z') - now);
    s.stop();
  });

  it('after stop(), a due timer does nothing', async () => {
    const s = store();
    await s.start();
    const pending = [...scheduler.timers.values()][0]!;
    s.stop();
    pending.callback();
    expect(downloads).toBe(0);
  });

  it('throws ERR_CONFIG_INVALID at construction for bad options', () => {
    const bad: Array<MetadataStoreOptions> = [
      { roots: ['nope'] },
      { source: { url: 'ftp://example.com/' } },
      { maxStaleness: -1 },
      { retry: { minDelay: 0 } },
      { persistence: { file: '' } },
      // @ts-expect-error not a scheduler
      { scheduler: {} },
    ];
    for (const options of bad) {
      expect(() => createMetadataStore(options)).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }),
      );
    }
  });
});
