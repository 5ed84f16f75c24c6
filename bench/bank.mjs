// Bank benchmark (issue 6): POST /transfers through the whole stack — Express 5, @stepup/express
// verifying real ES256 high-level tokens, zod, the idempotency claim, row locks and a double-entry
// journal on PostgreSQL, DPoP required (RFC 9449: every request a DPoP-bound token and a fresh proof, checked
// and its jti recorded in PostgreSQL) — with autocannon in this process and the API in its own (bench/bank-server.mjs).
// Peers measured in the same run: GET /health/live (Express, no token, no database) and GET /accounts
// (token + one indexed read), so the cost of a transfer reads as a ratio.
// Scenarios:
//   spread : BENCH_CUSTOMERS customers, each transfer 1,000.00 (the largest one a signed-in token makes
//            without approving it; above it each transfer needs an approval of its own, see the API README)
//            between the customer's two accounts, alternating direction, a new Idempotency-Key per request
//   hot    : every transfer from one account (0.01 each): all requests queue on one row lock
//   replay : the same Idempotency-Key again and again (answered from the first transfer, no money moves)
// Afterwards the ledger is audited in the database with the API's auditLedger (the same SQL as the
// fault-injection suite): every transfer two postings moving its amount, every balance equal to its
// postings and not negative, the customers' total unchanged, no key without its transfer nor two keys
// for one transfer, every 201's key leading to the very transfer it answered; and one journal entry
// per 201 (the replays counted once).
// Run: bash .ci/postgres.sh && npm run bench:bank
//   env: DATABASE_URL (default postgres://stepup:stepup@127.0.0.1:5432/stepup) BENCH_DURATION=5 (s, reads)
//        BENCH_TRANSFERS=3000 (requests per transfer run) BENCH_CONNECTIONS=20 BENCH_CUSTOMERS=200 BENCH_PG_POOL=10
import { fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { createTestIssuer } from '@stepup/core/testing';
import { auditLedger, ledgerViolations, openPostgres } from '@stepup-example/api';
import autocannon from 'autocannon';
import * as dpop from 'dpop';
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
// The client's DPoP key: every token is bound to it (cnf.jkt), every request proves it.
const key = await dpop.generateKeyPair('ES256');
const jkt = await dpop.calculateThumbprint(key.publicKey);
const token = async (sub) =>
  `DPoP ${await as.mint({
    sub,
    acr: ACR_HIGH,
    auth_time: now() - 5,
    scope: 'accounts:read transfers:write',
    client_id: 'bank-web',
    cnf: { jkt },
  })}`;
// A proof for the API's public origin (its audience; the bench reaches it on 127.0.0.1) and the path.
const proof = (authorization, method, path) =>
  dpop.generateProof(key, `${AUDIENCE}${path}`, method, undefined, authorization.slice('DPoP '.length));
/**
 * `n` proofs made before a run, in the order the requests take them: autocannon's setupRequest is
 * synchronous, and a proof is good once. A run that outlasts its pool sends a spent proof, answered 401
 * (shown in the answers column).
 */
const pool = (n, make) => Promise.all(Array.from({ length: n }, (_, i) => make(i)));
const take = (request) => request.proofs[Math.min(request.next++, request.proofs.length - 1)];

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
const ledger = await openPostgres({ connectionString: DATABASE_URL, schema, max: 2 });

// Customers: a token each, accounts opened by a first GET /accounts.
process.stdout.write(`opening ${CUSTOMERS} customers' accounts... `);
const customers = [];
for (let i = 0; i < CUSTOMERS; i++) {
  const authorization = await token(`bench-${i}`);
  const response = await fetch(`${base}/accounts`, {
    headers: { authorization, dpop: await proof(authorization, 'GET', '/accounts') },
  });
  const { accounts } = await response.json();
  customers.push({
    sub: `bench-${i}`,
    authorization,
    everyday: accounts[0].id,
    savings: accounts[1].id,
    turn: 0,
  });
}
console.log('done');

// Every 201 as { owner, key, transferId } for the audit. The key travels in the transfer's description
// (the answer echoes it), so an answer is matched to its request whatever autocannon's order.
const ownerOf = new Map(
  customers.flatMap((c) => [
    [c.everyday, c.sub],
    [c.savings, c.sub],
  ]),
);
const acknowledged = [];
function acknowledge(status, body) {
  if (status !== 201) return;
  const transfer = JSON.parse(body);
  acknowledged.push({
    owner: ownerOf.get(transfer.fromAccountId),
    key: transfer.description,
    transferId: transfer.id,
  });
}

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
  proofs: [],
  next: 0,
  prepare: async () => {
    spread.next = 0;
    spread.proofs = await pool(TRANSFERS + CONNECTIONS, (i) =>
      proof(customers[i % customers.length].authorization, 'POST', '/transfers'),
    );
  },
  setupRequest(req) {
    const customer = customers[c % customers.length];
    const dpopProof = spread.proofs[c++] ?? spread.proofs.at(-1);
    const [from, to] =
      customer.turn++ % 2 === 0
        ? [customer.everyday, customer.savings]
        : [customer.savings, customer.everyday];
    const key = randomUUID();
    return {
      ...req,
      headers: {
        authorization: customer.authorization,
        dpop: dpopProof,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify({ fromAccountId: from, toAccountId: to, amount: 100_000, description: key }),
    };
  },
  onResponse: acknowledge,
};
const hotCustomer = customers[0];
const hot = {
  method: 'POST',
  path: '/transfers',
  proofs: [],
  next: 0,
  prepare: async () => {
    hot.next = 0;
    hot.proofs = await pool(TRANSFERS + CONNECTIONS, () =>
      proof(hotCustomer.authorization, 'POST', '/transfers'),
    );
  },
  setupRequest(req) {
    const key = randomUUID();
    return {
      ...req,
      headers: {
        authorization: hotCustomer.authorization,
        dpop: take(hot),
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify({
        fromAccountId: hotCustomer.savings,
        toAccountId: hotCustomer.everyday,
        amount: 1,
        description: key,
      }),
    };
  },
  onResponse: acknowledge,
};
const replayBody = JSON.stringify({
  fromAccountId: customers[1].savings,
  toAccountId: customers[1].everyday,
  amount: 100_000,
  description: 'replayed-key',
});
// The same request again and again, each with a proof of its own (the same proof twice is a replay).
const replay = {
  method: 'POST',
  path: '/transfers',
  proofs: [],
  next: 0,
  prepare: async () => {
    replay.next = 0;
    replay.proofs = await pool(TRANSFERS + CONNECTIONS, () =>
      proof(customers[1].authorization, 'POST', '/transfers'),
    );
  },
  setupRequest: (req) => ({
    ...req,
    headers: {
      authorization: customers[1].authorization,
      dpop: take(replay),
      'content-type': 'application/json',
      'idempotency-key': 'replayed-key',
    },
    body: replayBody,
  }),
  onResponse: acknowledge,
};
// A timed run: proofs for at most READ_PROOFS_PER_SECOND answers a second.
const READ_PROOFS_PER_SECOND = Number(process.env.BENCH_READ_PROOFS_PER_SECOND ?? 3000);
const accounts = {
  method: 'GET',
  path: '/accounts',
  proofs: [],
  next: 0,
  prepare: async () => {
    accounts.next = 0;
    accounts.proofs = await pool(DURATION * READ_PROOFS_PER_SECOND, () =>
      proof(customers[2].authorization, 'GET', '/accounts'),
    );
  },
  setupRequest: (req) => ({
    ...req,
    headers: { authorization: customers[2].authorization, dpop: take(accounts) },
  }),
};
const health = { method: 'GET', path: '/health/live' };

const before = await auditLedger(ledger);
const results = [];
const timed = { duration: DURATION };
const counted = { amount: TRANSFERS };
for (const [title, request, limit] of [
  ['GET /health/live (no db)', health, timed],
  ['GET /accounts (token + read)', accounts, timed],
  ['POST /transfers spread', spread, counted],
  ['POST /transfers hot account', hot, counted],
  ['POST /transfers replay', replay, counted],
]) {
  await request.prepare?.();
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
const after = await auditLedger(ledger, { acknowledged });
// Every 201 is a new journal entry, except the replays of the one replayed key (1 entry in all).
const expectedEntries = created - replays + (replays > 0 ? 1 : 0);
const checks = [
  [
    'journal entries = transfers answered 201 (replays counted once)',
    after.transfers - before.transfers === expectedEntries,
  ],
  [
    `every 201 recorded for the audit (${acknowledged.length} of ${created})`,
    acknowledged.length === created,
  ],
  ...ledgerViolations(after, before.customersTotal).map((violation) => [violation, false]),
];
console.log(`\nledger: ${after.transfers - before.transfers} new journal entries, audited (auditLedger):`);
console.log(
  `  ${ledgerViolations(after, before.customersTotal).length === 0 ? 'ok  ' : 'FAIL'} two balanced postings per transfer, balances = postings, none negative, total unchanged (${before.customersTotal} → ${after.customersTotal}), one transfer per key, every 201's key → its transfer`,
);
for (const [name, ok] of checks) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}`);

server.send('stop');
await new Promise((resolve) => server.once('exit', resolve));
await ledger.close();
await admin.query(`DROP SCHEMA ${schema} CASCADE`);
await admin.end();
process.exit(checks.every(([, ok]) => ok) ? 0 : 1);
