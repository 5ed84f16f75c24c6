// Bank benchmark (issue 6): POST /transfers through the whole stack — Express 5, @stepup/express
// verifying real ES256 high-level tokens, zod, the idempotency claim, row locks and a double-entry
// journal on PostgreSQL — with autocannon in this process and the API in its own (bench/bank-server.mjs).
// Peers measured in the same run: GET /health (Express, no token, no database) and GET /accounts
// (token + one indexed read), so the cost of a transfer reads as a ratio.
// Scenarios:
//   spread : BENCH_CUSTOMERS customers, each transfer 1,000.01 (high level, maxAge 300) between the
//            customer's two accounts, alternating direction, a new Idempotency-Key per request
//   hot    : every transfer from one account (0.01 each): all requests queue on one row lock
//   replay : the same Idempotency-Key again and again (answered from the first transfer, no money moves)
// Afterwards the ledger is checked in the database: every transfer balanced, every balance equal to its
// postings and not negative, the customers' total unchanged, one journal entry per 201 answered.
// Run: bash .ci/postgres.sh && npm run bench:bank
//   env: DATABASE_URL (default postgres://stepup:stepup@127.0.0.1:5432/stepup) BENCH_DURATION=5 (s, reads)
//        BENCH_TRANSFERS=3000 (requests per transfer run) BENCH_CONNECTIONS=20 BENCH_CUSTOMERS=200 BENCH_PG_POOL=10
import { fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { createTestIssuer } from '@stepup/core/testing';
import autocannon from 'autocannon';
import pg from 'pg';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://stepup:stepup@127.0.0.1:5432/stepup';
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 200);
const TRANSFERS = Number(process.env.BENCH_TRANSFERS ?? 3000);
const PG_POOL = Number(process.env.BENCH_PG_POOL ?? 10);
const ISSUER = 'http://localhost:4000';
const AUDIENCE = 'http://localhost:4001';
const ACR_HIGH = 'urn:stepup:bank:acr:high';
const schema = `bank_bench_${randomBytes(4).toString('hex')}`;

const admin = new pg.Client({ connectionString: DATABASE_URL });
try {
  await admin.connect();
} catch (error) {
  console.error(
    `PostgreSQL is not reachable at ${DATABASE_URL} (${error.message}). Start it: bash .ci/postgres.sh`,
  );
  process.exit(1);
}

const as = await createTestIssuer({ issuer: ISSUER, audience: AUDIENCE, expiresIn: 3600 });
const now = () => Math.floor(Date.now() / 1000);
const token = (sub) =>
  as.authorization({
    sub,
    acr: ACR_HIGH,
    auth_time: now() - 5,
    scope: 'accounts:read transfers:write',
    client_id: 'bank-web',
  });

const server = fork(new URL('./bank-server.mjs', import.meta.url), {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const reply = () => new Promise((resolve) => server.once('message', resolve));
server.send({
  databaseUrl: DATABASE_URL,
  schema,
  issuer: ISSUER,
  audience: AUDIENCE,
  jwk: as.jwks.keys[0],
  poolSize: PG_POOL,
});
const { port } = await reply();
const base = `http://127.0.0.1:${port}`;

// Customers: a token each, accounts opened by a first GET /accounts.
process.stdout.write(`opening ${CUSTOMERS} customers' accounts... `);
const customers = [];
for (let i = 0; i < CUSTOMERS; i++) {
  const authorization = await token(`bench-${i}`);
  const response = await fetch(`${base}/accounts`, { headers: { authorization } });
  const { accounts } = await response.json();
  customers.push({ authorization, everyday: accounts[0].id, savings: accounts[1].id, turn: 0 });
}
console.log('done');

async function customerTotal() {
  const { rows } = await admin.query(
    `SELECT COALESCE(SUM(balance), 0)::bigint AS total FROM ${schema}.accounts WHERE NOT internal`,
  );
  return Number(rows[0].total);
}
const journalCount = async () =>
  Number((await admin.query(`SELECT COUNT(*)::bigint AS n FROM ${schema}.transfers`)).rows[0].n);

// Reads run for BENCH_DURATION; transfer runs send exactly BENCH_TRANSFERS requests, so every answer is
// counted (a timed run drops the answers still in flight when it ends) and the ledger check is exact.
function run(title, request, limit) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: base, connections: CONNECTIONS, ...limit, requests: [request] },
      (error, result) =>
        error ? reject(error) : resolve({ title, result, seconds: (performance.now() - started) / 1000 }),
    );
    autocannon.track(instance, {
      renderProgressBar: false,
      renderResultsTable: false,
      renderLatencyTable: false,
    });
  });
}

let c = 0;
const spread = {
  method: 'POST',
  path: '/transfers',
  setupRequest(req) {
    const customer = customers[c++ % customers.length];
    const [from, to] =
      customer.turn++ % 2 === 0
        ? [customer.everyday, customer.savings]
        : [customer.savings, customer.everyday];
    return {
      ...req,
      headers: {
        authorization: customer.authorization,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({ fromAccountId: from, toAccountId: to, amount: 100_001 }),
    };
  },
};
const hotCustomer = customers[0];
const hot = {
  method: 'POST',
  path: '/transfers',
  setupRequest(req) {
    return {
      ...req,
      headers: {
        authorization: hotCustomer.authorization,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({
        fromAccountId: hotCustomer.savings,
        toAccountId: hotCustomer.everyday,
        amount: 1,
      }),
    };
  },
};
const replayBody = JSON.stringify({
  fromAccountId: customers[1].savings,
  toAccountId: customers[1].everyday,
  amount: 100_001,
});
const replay = {
  method: 'POST',
  path: '/transfers',
  headers: {
    authorization: customers[1].authorization,
    'content-type': 'application/json',
    'idempotency-key': 'replayed-key',
  },
  body: replayBody,
};
const accounts = { method: 'GET', path: '/accounts', headers: { authorization: customers[2].authorization } };
const health = { method: 'GET', path: '/health' };

const totalBefore = await customerTotal();
const journalBefore = await journalCount();
const results = [];
const timed = { duration: DURATION };
const counted = { amount: TRANSFERS };
for (const [title, request, limit] of [
  ['GET /health (no token, no db)', health, timed],
  ['GET /accounts (token + read)', accounts, timed],
  ['POST /transfers spread', spread, counted],
  ['POST /transfers hot account', hot, counted],
  ['POST /transfers replay', replay, counted],
]) {
  results.push(await run(title, request, limit));
}

const status = (result, code) => result.statusCodeStats?.[code]?.count ?? 0;
console.log(
  `\nnode ${process.version}, ${cpus().length} CPUs, ${CONNECTIONS} connections, reads ${DURATION} s, transfers ${TRANSFERS} per run, pg pool ${PG_POOL}, ${CUSTOMERS} customers\n`,
);
// Answers per second of wall time (autocannon's own figures work in whole-second buckets).
const rate = ({ result, seconds }) => result.requests.total / seconds;
const baseline = rate(results[0]);
console.log('run                               req/s   ×health   p50 ms   p99 ms   answers');
for (const entry of results) {
  const { title, result } = entry;
  const codes = Object.entries(result.statusCodeStats ?? {})
    .map(([code, { count }]) => `${code}:${count}`)
    .join(' ');
  console.log(
    `${title.padEnd(32)} ${rate(entry).toFixed(0).padStart(6)}   ${(rate(entry) / baseline).toFixed(2).padStart(7)}   ${String(result.latency.p50).padStart(6)}   ${String(result.latency.p99).padStart(6)}   ${codes}`,
  );
}

// The ledger afterwards.
const created = results.slice(2).reduce((n, { result }) => n + status(result, '201'), 0);
const replays = status(results[4].result, '201');
const journalAfter = await journalCount();
const totalAfter = await customerTotal();
const q = (sql) => admin.query(sql.replaceAll('$s', schema));
const unbalanced = (
  await q('SELECT transfer_id FROM $s.postings GROUP BY transfer_id HAVING SUM(amount) <> 0 OR COUNT(*) <> 2')
).rowCount;
const mismatched = (
  await q(`SELECT a.id FROM $s.accounts a LEFT JOIN $s.postings p ON p.account_id = a.id
           WHERE NOT a.internal GROUP BY a.id, a.balance HAVING a.balance <> COALESCE(SUM(p.amount), 0)`)
).rowCount;
const negative = (await q('SELECT id FROM $s.accounts WHERE balance < 0')).rowCount;
const postingsTotal = Number(
  (await q('SELECT COALESCE(SUM(amount), 0)::bigint AS t FROM $s.postings')).rows[0].t,
);
// Every 201 is a new journal entry, except the replays of the one replayed key (1 entry in all).
const expectedEntries = created - replays + (replays > 0 ? 1 : 0);
const checks = [
  [
    'journal entries = transfers answered 201 (replays counted once)',
    journalAfter - journalBefore === expectedEntries,
  ],
  ['every transfer balanced (two postings summing to 0)', unbalanced === 0],
  ['all postings sum to 0', postingsTotal === 0],
  ['every balance equals its postings', mismatched === 0],
  ['no balance below zero', negative === 0],
  [`customers' total unchanged (${totalBefore} → ${totalAfter})`, totalBefore === totalAfter],
];
console.log(`\nledger: ${journalAfter - journalBefore} new journal entries`);
for (const [name, ok] of checks) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}`);

server.send('stop');
await new Promise((resolve) => server.once('exit', resolve));
await admin.query(`DROP SCHEMA ${schema} CASCADE`);
await admin.end();
process.exit(checks.every(([, ok]) => ok) ? 0 : 1);
