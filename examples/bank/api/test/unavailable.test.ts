import { auditLedger, type Db, type Logger, ledgerViolations, openPglite } from '@stepup-example/api';
import { type DbFaults, withFaults } from '@stepup-example/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsOf, startTestBank, type TestBank } from './helpers/bank.js';

// How the API answers database faults, over HTTP. The faults are DbErrors as the database layer raises
// them for a real PostgreSQL outage (the layer's own suite cuts real connections; the fault-injection
// suite stops a real server); here they are switched on in front of a real PGlite, so answers are exact.
describe('the API while its database is away', () => {
  let switches: DbFaults;
  const logs: { level: string; event: string; data: Record<string, unknown> }[] = [];
  const push =
    (level: string) =>
    (event: string, data: Record<string, unknown> = {}) =>
      void logs.push({ level, event, data });
  const logger: Logger = { info: push('info'), warn: push('warn'), error: push('error') };
  let jwksUp = true;
  let pglite: Db;
  let bank: TestBank;
  let carol: Awaited<ReturnType<typeof accountsOf>>;

  beforeAll(async () => {
    pglite = await openPglite(undefined);
    const faulty = withFaults(pglite);
    switches = faulty.faults;
    bank = await startTestBank(faulty.db, {
      logger,
      remoteJwks: {
        fetch: (inner) => async (input, init) =>
          jwksUp ? inner(input, init) : new Response('', { status: 502 }),
      },
    });
    carol = await accountsOf(bank, 'carol');
  });
  afterAll(async () => {
    await bank.close();
    await pglite.close();
  });

  const transfer = async (key: string, amount = 1_00) =>
    bank.call('/transfers', {
      authorization: await bank.standard('carol'),
      body: { fromAccountId: carol.savings.id, toAccountId: carol.everyday.id, amount },
      headers: { 'idempotency-key': key },
    });

  it('answers 503 ERR_UNAVAILABLE with Retry-After, never the driver text; readiness says the database is down', async () => {
    switches.down = true;
    const accounts = await bank.call('/accounts', { authorization: await bank.standard('carol') });
    expect([accounts.status, accounts.headers.get('retry-after'), await accounts.json()]).toEqual([
      503,
      '1',
      {
        code: 'ERR_UNAVAILABLE',
        message: 'The bank cannot reach its database right now; please try again shortly.',
      },
    ]);
    const sent = await transfer('down-1');
    expect([sent.status, sent.headers.get('retry-after'), (await sent.json()).code]).toEqual([
      503,
      '1',
      'ERR_UNAVAILABLE',
    ]);
    const ready = await bank.call('/health/ready');
    expect([ready.status, ready.headers.get('retry-after'), await ready.json()]).toEqual([
      503,
      '1',
      { status: 'unavailable', dependencies: { database: 'down', jwks: 'up' } },
    ]);
    const live = await bank.call('/health/live');
    expect(live.status).toBe(200);
    expect(logs.filter((l) => l.event === 'dependency.down')).toEqual([
      {
        level: 'warn',
        event: 'dependency.down',
        data: { dependency: 'database', reason: 'DbError: The database cannot be reached.' },
      },
    ]);
  });

  it('serves again when the database is back, and logs that it is', async () => {
    switches.down = false;
    const ready = await bank.call('/health/ready');
    expect([ready.status, await ready.json()]).toEqual([
      200,
      { status: 'ready', dependencies: { database: 'up', jwks: 'up' } },
    ]);
    expect(logs.filter((l) => l.event === 'dependency.up').map((l) => l.data.dependency)).toEqual([
      'database',
    ]);
    expect((await transfer('back-1')).status).toBe(201);
  });

  it('runs a transfer again after a conflict or a connection lost before COMMIT, not after an unknown outcome', async () => {
    switches.next.push('ERR_DB_CONFLICT', 'ERR_DB_CONNECTION_LOST');
    const before = switches.transactions;
    expect((await transfer('retried-1')).status).toBe(201);
    expect(switches.transactions - before).toBe(3);

    switches.next.push('after-commit');
    const unknown = await transfer('unknown-1', 2_00);
    expect([unknown.status, unknown.headers.get('retry-after'), await unknown.json()]).toEqual([
      503,
      '1',
      {
        code: 'ERR_OUTCOME_UNKNOWN',
        message:
          'The connection to the database was lost while this was saved: it may or may not be done. Send it again with the same Idempotency-Key.',
      },
    ]);
    // It did commit: sending it again with the same key answers that transfer, once.
    const again = await transfer('unknown-1', 2_00);
    expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    const audit = await auditLedger(pglite);
    expect(ledgerViolations(audit)).toEqual([]);
  });

  it('reads run again after an unknown outcome; contention that persists is 503 ERR_BUSY', async () => {
    switches.next.push('ERR_DB_OUTCOME_UNKNOWN');
    // A customer seen for the first time: opening their accounts is an idempotent transaction.
    const first = await bank.call('/accounts', { authorization: await bank.standard('dora') });
    expect(first.status).toBe(200);
    switches.next.push(...Array(5).fill('ERR_DB_CONFLICT'));
    const busy = await transfer('busy-1');
    expect([busy.status, busy.headers.get('retry-after'), (await busy.json()).code]).toEqual([
      503,
      '1',
      'ERR_BUSY',
    ]);
  });

  it('readiness checks the authorization server’s keys too', async () => {
    jwksUp = false;
    const ready = await bank.call('/health/ready');
    expect([ready.status, await ready.json()]).toEqual([
      503,
      { status: 'unavailable', dependencies: { database: 'up', jwks: 'down' } },
    ]);
    jwksUp = true;
    expect((await bank.call('/health/ready')).status).toBe(200);
  });
});
