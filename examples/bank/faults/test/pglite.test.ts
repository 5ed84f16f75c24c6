import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditLedger, ledgerViolations, openPglite } from '@stepup-example/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServedIssuer, serveIssuer } from './helpers/issuer.js';
import { Clients, type Customer, OPENING_TOTAL, openCustomers } from './helpers/load.js';
import { freePort } from './helpers/ports.js';
import { assertRunning, type Server, spawnServer, waitForLive } from './helpers/servers.js';

// The embedded default against a crash: the API on PGlite (on disk) under load is killed with SIGKILL
// twice and started again on the same data directory; the clients re-send whatever they did not see
// answered. Afterwards every acknowledged transfer must be in the ledger, once, and the ledger exact.
// Runs everywhere: PGlite needs nothing installed.
describe('the API on PGlite, killed mid-load', () => {
  let dir: string;
  let issuer: ServedIssuer;
  let api: Server;
  let url: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stepup-faults-pglite-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    issuer = await serveIssuer(url);
    env = {
      API_PORT: String(port),
      AS_ISSUER: issuer.issuer.issuer,
      AS_JWKS_URI: issuer.jwksUri,
      API_AUDIENCE: url,
      API_DATA_DIR: join(dir, 'api'),
    };
    api = spawnServer('api', url, env);
    await waitForLive(api);
  }, 180_000);
  afterAll(async () => {
    await api?.kill('SIGKILL');
    await issuer?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('loses no acknowledged transfer and keeps the ledger exact', { timeout: 150_000 }, async () => {
    const customers: Customer[] = await openCustomers(url, issuer, 'crash', 3);
    const clients = new Clients(url);
    const load = clients.run(customers, 4);
    const acknowledged = () => clients.report.acknowledged.length;
    const moreAcknowledged = (count: number) => clients.moreAcknowledged(count, () => assertRunning(api));

    for (let kill = 0; kill < 2; kill++) {
      await moreAcknowledged(15);
      await api.kill('SIGKILL');
      expect(api.exit()).toEqual({ code: null, signal: 'SIGKILL' });
      api = spawnServer('api', url, env);
      await waitForLive(api);
    }

    // 20 identical requests at once, right after a restart: one transfer, the same answer for all.
    const body = { fromAccountId: customers[0]!.savings, toAccountId: customers[0]!.everyday, amount: 1_00 };
    const same = await Promise.all(
      Array.from({ length: 20 }, () => clients.deliver(customers[0]!, 'same', body)),
    );
    expect(new Set(same.map((s) => s?.id)).size).toBe(1);
    expect(same.filter((s) => s !== undefined && !s.replayed)).toHaveLength(1);

    await moreAcknowledged(10);
    clients.stopping = true;
    await load;
    await api.kill('SIGTERM');
    expect(api.exit()).toEqual({ code: 0, signal: null });

    console.log(JSON.stringify({ api: clients.report.answers, acknowledged: acknowledged() }));
    expect(clients.report.problems).toEqual([]);
    // The kills were felt: some requests got no answer and were sent again.
    expect(clients.report.answers['no answer']).toBeGreaterThan(0);
    const db = await openPglite(env.API_DATA_DIR);
    try {
      const audit = await auditLedger(db, { acknowledged: clients.report.acknowledged });
      expect(ledgerViolations(audit, customers.length * OPENING_TOTAL)).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
