import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditLedger, type Db, ledgerViolations, openPostgres } from '@stepup-example/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresServerBinaries, requires } from '../../../../test/services.js';
import { type PrivateCluster, startPrivateCluster } from './helpers/cluster.js';
import { type ServedIssuer, serveIssuer } from './helpers/issuer.js';
import { Clients, type Customer, OPENING_TOTAL, openCustomers } from './helpers/load.js';
import { freePort } from './helpers/ports.js';
import { assertRunning, type Server, spawnServer, waitForLive, waitForReadiness } from './helpers/servers.js';

// The bank on a real PostgreSQL of the suite's own, under load: PostgreSQL stopped (every session
// ended with 57P01) for a few seconds and started again, the API killed with SIGKILL and restarted, 20
// identical requests at once, clients re-sending what they did not see answered. Both servers must
// live through it and serve again by themselves; afterwards the ledger is checked in SQL.

/** GET /auth of the bank web client: the provider stores an interaction (a database write). */
function authorizeUrl(as: string, api: string): string {
  const verifier = randomBytes(32).toString('base64url');
  return `${as}/auth?${new URLSearchParams({
    response_type: 'code',
    client_id: 'bank-web',
    redirect_uri: 'http://localhost:5173/callback',
    scope: 'openid accounts:read',
    resource: api,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  })}`;
}

// Skipped without the binaries on a developer's machine (npm test says how to enable it); under CI it
// runs, and fails if they are missing.
describe('the bank on PostgreSQL under faults', requires('postgres-server'), () => {
  let cluster: PrivateCluster;
  let clusterStarting: Promise<PrivateCluster> | undefined; // destroyed even when the hook timed out
  let dir: string;
  let issuer: ServedIssuer;
  let api: Server;
  let as: Server;
  let apiEnv: Record<string, string>;
  let ledger: Db;
  const urls = { api: '', as: '' };

  beforeAll(async () => {
    const bin = postgresServerBinaries();
    if (bin === undefined) throw new Error('no PostgreSQL server binaries (apt-get install postgresql)');
    dir = await mkdtemp(join(tmpdir(), 'stepup-faults-'));
    clusterStarting = startPrivateCluster(bin);
    cluster = await clusterStarting;
    const [apiPort, asPort] = [await freePort(), await freePort()];
    urls.api = `http://127.0.0.1:${apiPort}`;
    urls.as = `http://localhost:${asPort}`;
    issuer = await serveIssuer(urls.api);
    apiEnv = {
      API_PORT: String(apiPort),
      AS_ISSUER: issuer.issuer.issuer,
      AS_JWKS_URI: issuer.jwksUri,
      API_AUDIENCE: urls.api,
      DATABASE_URL: cluster.url,
      API_DATABASE_SCHEMA: 'bank_api',
    };
    api = spawnServer('api', urls.api, apiEnv);
    as = spawnServer('auth', urls.as, {
      AS_PORT: String(asPort),
      AS_ISSUER: urls.as,
      API_AUDIENCE: urls.api,
      DATABASE_URL: cluster.url,
      DATABASE_SCHEMA: 'bank_auth',
      MDS_OFFLINE: '1',
      MDS_BLOB_FILE: join(dir, 'no-blob.jwt'),
    });
    await Promise.all([waitForLive(api), waitForLive(as)]);
    ledger = await openPostgres({ connectionString: cluster.url, schema: 'bank_api', max: 2 });
  }, 180_000); // a cluster and two servers from source: seconds alone, more on a busy machine
  afterAll(async () => {
    await ledger?.close();
    await Promise.all([api?.kill('SIGKILL'), as?.kill('SIGKILL')]);
    await issuer?.close();
    await (await clusterStarting?.catch(() => undefined))?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('rides out a PostgreSQL restart and a SIGKILL of the API, losing nothing', {
    timeout: 150_000,
  }, async () => {
    const customers: Customer[] = await openCustomers(urls.api, issuer, 'pg', 4);
    const clients = new Clients(urls.api);
    const load = clients.run(customers, 6);
    const acknowledged = () => clients.report.acknowledged.length;
    const moreAcknowledged = (count: number) => clients.moreAcknowledged(count, () => assertRunning(api));
    // The authorization server's traffic meanwhile: each GET /auth writes an interaction.
    const asAnswers: Record<string, number> = {};
    let asRunning = true;
    const asTraffic = (async () => {
      while (asRunning) {
        const status = await fetch(authorizeUrl(urls.as, urls.api), { redirect: 'manual' }).then(
          async (r) => {
            await r.body?.cancel();
            return String(r.status);
          },
          () => 'no answer',
        );
        asAnswers[status] = (asAnswers[status] ?? 0) + 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    // 1. PostgreSQL goes away for three seconds under load, then comes back.
    await moreAcknowledged(30);
    await cluster.stop();
    const downAt = performance.now();
    await waitForReadiness(api, 503, 5_000);
    await waitForReadiness(as, 503, 5_000);
    expect((await fetch(`${urls.api}/health/live`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 3_000 - (performance.now() - downAt))));
    for (const server of [api, as]) assertRunning(server);
    await cluster.start();
    for (const server of [api, as]) {
      await waitForReadiness(server, 200, 15_000);
      // Both said when the database went away and when it was back.
      const events = server.logs.filter((l) => l.event.startsWith('dependency.'));
      expect(events.map((l) => [l.event, l.dependency]).slice(0, 2), server.name).toEqual([
        ['dependency.down', 'database'],
        ['dependency.up', 'database'],
      ]);
    }
    await moreAcknowledged(30);

    // 2. 20 identical requests at once: one transfer, one answer.
    const body = { fromAccountId: customers[0]!.savings, toAccountId: customers[0]!.everyday, amount: 1_00 };
    const same = await Promise.all(
      Array.from({ length: 20 }, () => clients.deliver(customers[0]!, 'same', body)),
    );
    expect(new Set(same.map((s) => s?.id)).size).toBe(1);
    expect(same.filter((s) => s !== undefined && !s.replayed)).toHaveLength(1);

    // 3. The API is killed mid-load and started again.
    await api.kill('SIGKILL');
    expect(api.exit()).toEqual({ code: null, signal: 'SIGKILL' });
    api = spawnServer('api', urls.api, apiEnv);
    await waitForLive(api);
    await moreAcknowledged(30);

    clients.stopping = true;
    asRunning = false;
    await Promise.all([load, asTraffic]);
    console.log(JSON.stringify({ api: clients.report.answers, as: asAnswers, acknowledged: acknowledged() }));

    expect(clients.report.problems).toEqual([]);
    expect(clients.report.answers['503 ERR_UNAVAILABLE']).toBeGreaterThan(0);
    expect(Object.keys(asAnswers).sort()).toEqual(['303', '503']);
    assertRunning(as);
    const audit = await auditLedger(ledger, { acknowledged: clients.report.acknowledged });
    expect(ledgerViolations(audit, customers.length * OPENING_TOTAL)).toEqual([]);
  });
});
