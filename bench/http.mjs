// HTTP benchmark (issue 3, issue 14): one ES256-protected GET route on 127.0.0.1, side by side in one run.
//   Express 5: bare | express-oauth2-jwt-bearer + claimEquals('acr') | @stepup/express
//   Fastify 5: bare | @fastify/jwt + a hand-written acr check       | @stepup/fastify
// Each contender runs in its own process (bench/http-server.mjs), one process per mode; autocannon runs in
// this one. warm: one token reused (as real clients do); cold: a pool of BENCH_POOL distinct valid tokens,
// more than one server receives in all its cold runs, so no server sees a token twice and no cache can
// help (stepup's stores a token only the second time it is verified, so it stores none).
// Server CPU µs per request = process.cpuUsage() delta in the server / requests it served, measured
// around the timed run only (after a warm-up run).
// "added" is paired within one process: every contender process also serves an unguarded copy of the
// route at /bare, and each round measures the guarded route in BENCH_PAIRS short windows, each back to
// back with a window of that copy (which one first alternates). Per process, the added cost is the median
// over its pairs of (guarded - bare), so what differs between processes (the modules each loads, its heap,
// its JIT's choices, which measured ±10-20 µs per request from one process to the next on this machine)
// cancels out. What does not cancel is a bias of each process's own: the same guard, or a no-op layer,
// read a few µs apart from one process to the next (±4 µs on Node 24, ±15 µs on Node 20, Express). So
// each guarded contender and mode runs in several processes (warm rows, whose target is a few µs: 6; cold
// rows: 4; the DPoP rows, informational: 1), and its figure is the mean of their medians; the table lists
// each process's median too.
// Windows last exactly their stated length: autocannon ends a run at its next sample tick, so samples are
// taken every 250 ms (sampleInt; by default every second, which made a 0.75 s window last 1 s), and req/s
// is requests over the run's duration.
// The bare route receives the same Authorization header as the warm runs (and ignores it), so the
// baseline includes receiving the token bytes, which no library avoids. The "bare" row is a process
// that serves the bare route only, for reference (req/s); the targets do not use it.
// Targets, in µs added over the bare route: warm ≤ 10; cold no more than the peer's.
// Contenders are measured in interleaved rounds (median reported) so that drift hits all alike.
// DPoP (RFC 9449) rows, in the same run: express-oauth2-jwt-bearer 1.10 with `dpop: { required: true }`
// and @stepup/<framework> with `dpop: { required: true }` (@fastify/jwt has no DPoP, so Fastify has no
// DPoP peer). Every request carries a fresh proof (made by the `dpop` package before the run, a new
// jti each: stepup refuses replays, the peer keeps no jti record). warm: one bound token; cold: a pool of
// BENCH_POOL bound tokens in rotation, each request with its own proof.
// Calibration (BENCH_NOOP=1): a contender whose route has a middleware (Express) or preHandler (Fastify)
// that does nothing, measured warm exactly as the guards are. What it reads is what this method reads for
// a layer of no work: the noise and bias of the pairing on this machine. Not a target; its own line below.
// Run: npm run bench:http (builds first)
// Throughput with one and with two server processes: @stepup/<framework> warm and cold, the same total
// connections spread over one process or two (each its own port), req/s summed (BENCH_SCALE=0 skips it).
// On a 2-core machine the load generator shares the cores, so two processes cannot double anything: the
// figures show how the adapter scales, not a capacity.
//   env: BENCH_DURATION=3 (s per route per round) BENCH_PAIRS=4 BENCH_ROUNDS=2 BENCH_WARMUP=1 BENCH_POOL=160000
//        BENCH_CONNECTIONS=10 BENCH_PROCESSES_WARM=6 BENCH_PROCESSES_COLD=4 BENCH_PROCESSES_DPOP=1
//        (processes per guarded contender and mode; BENCH_PROCESSES=n sets all three)
//        BENCH_FRAMEWORKS=express,fastify BENCH_DPOP_PROOFS=200000 (proofs per pool; 0: no DPoP rows)
//        BENCH_SCALE=1 BENCH_NOOP=0
import { fork } from 'node:child_process';
import { get } from 'node:http';
import { createTestIssuer } from '@stepup/core/testing';
import autocannon from 'autocannon';
import * as dpop from 'dpop';

const DURATION = Number(process.env.BENCH_DURATION ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
// Each round's DURATION of a guarded route is split into PAIRS windows, each paired with a window of the
// same process's bare route right before or after it.
const PAIRS = Number(process.env.BENCH_PAIRS ?? 4);
// Processes per guarded contender and mode (see the header: per-process bias averages out).
const processesOf = (name, fallback) => Number(process.env[name] ?? process.env.BENCH_PROCESSES ?? fallback);
const PROCESSES = {
  warm: processesOf('BENCH_PROCESSES_WARM', 6),
  cold: processesOf('BENCH_PROCESSES_COLD', 4),
  dpop: processesOf('BENCH_PROCESSES_DPOP', 1),
};
const MAX_PROCESSES = Math.max(...Object.values(PROCESSES));
const processesFor = (contender, mode) =>
  mode === 'bare' ? 1 : contender.endsWith('-dpop') ? PROCESSES.dpop : PROCESSES[mode];
const SAMPLE_MS = 250;
// Requests per second over a run (autocannon's requests.average is per sample of SAMPLE_MS).
const rpsOf = (result) => result.requests.total / result.duration;
const POOL = Number(process.env.BENCH_POOL ?? 160_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const FRAMEWORKS = (process.env.BENCH_FRAMEWORKS ?? 'express,fastify').split(',');
const ACR = 'urn:stepup:acr:high';
const DPOP_PROOFS = Number(process.env.BENCH_DPOP_PROOFS ?? 200_000);
const SCALE = process.env.BENCH_SCALE !== '0';
const NOOP = process.env.BENCH_NOOP === '1' ? ['noop'] : [];
const PEERS = { express: 'express-oauth2-jwt-bearer', fastify: '@fastify/jwt' };
const CONTENDERS = {
  express: ['bare', ...NOOP, 'peer', 'stepup', ...(DPOP_PROOFS > 0 ? ['peer-dpop', 'stepup-dpop'] : [])],
  fastify: ['bare', ...NOOP, 'peer', 'stepup', ...(DPOP_PROOFS > 0 ? ['stepup-dpop'] : [])],
};
const nameOf = (framework, contender) =>
  ({
    bare: 'bare',
    noop: framework === 'express' ? 'no-op middleware' : 'no-op preHandler',
    peer: PEERS[framework],
    stepup: `@stepup/${framework}`,
    'peer-dpop': `${PEERS[framework]} DPoP`,
    'stepup-dpop': `@stepup/${framework} DPoP`,
  })[contender];

const as = await createTestIssuer({
  issuer: 'https://issuer.test',
  audience: 'https://api.test',
  expiresIn: 3600,
});
const nowSeconds = () => Math.floor(Date.now() / 1000);
const claims = (extra = {}) => ({ acr: ACR, auth_time: nowSeconds() - 30, scope: 'accounts:read', ...extra });
process.stdout.write(`minting ${POOL} ES256 tokens... `);
const pool = [];
for (let i = 0; i < POOL; i++) pool.push(`Bearer ${await as.mint(claims({ sub: `user-${i}` }))}`);
console.log('done');
const warmToken = await as.authorization(claims());
const lowAcr = await as.authorization(claims({ acr: 'urn:stepup:acr:standard' }));
const expired = await as.authorization(claims({ iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 }));

// DPoP: one client key; bound tokens; one proof per request, for htu http://localhost/accounts (the
// requests say Host: localhost). Each server walks the proof pools from its own cursor.
const HTU = 'http://localhost/accounts';
const dpopPools = { warm: [], cold: [] };
let dpopWarmToken;
if (DPOP_PROOFS > 0) {
  const keyPair = await dpop.generateKeyPair('ES256');
  const cnf = { jkt: await dpop.calculateThumbprint(keyPair.publicKey) };
  dpopWarmToken = await as.mint(claims({ cnf }));
  const bound = [];
  process.stdout.write(`minting ${POOL} DPoP-bound tokens and 2 x ${DPOP_PROOFS} proofs... `);
  for (let i = 0; i < POOL; i++) bound.push(await as.mint(claims({ sub: `user-${i}`, cnf })));
  for (let i = 0; i < DPOP_PROOFS; i++) {
    const cold = bound[i % POOL];
    dpopPools.warm.push({
      authorization: `DPoP ${dpopWarmToken}`,
      dpop: await dpop.generateProof(keyPair, HTU, 'GET', undefined, dpopWarmToken),
    });
    dpopPools.cold.push({
      authorization: `DPoP ${cold}`,
      dpop: await dpop.generateProof(keyPair, HTU, 'GET', undefined, cold),
    });
  }
  console.log('done');
}

async function startServer(framework, contender) {
  const child = fork(new URL('./http-server.mjs', import.meta.url), [framework, contender], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const reply = () => new Promise((resolve) => child.once('message', resolve));
  child.send({ jwk: as.jwks.keys[0], issuer: as.issuer, audience: as.audience, acr: ACR });
  const { port } = await reply();
  // pairs: this process's (guarded - bare) CPU per request, one per pair of windows.
  const dpop = contender.endsWith('-dpop');
  return { port, child, reply, dpop, cursor: 0, proofs: { warm: 0, cold: 0 }, pairs: [] };
}

// Each server walks the pool from its own cursor, so it sees all POOL tokens before any repeats.
// mode 'bare': the process's unguarded /bare route, with the warm token's header.
function cannon(server, mode, duration, connections = CONNECTIONS) {
  const path = mode === 'bare' ? '/bare' : '/accounts';
  const options = {
    url: `http://127.0.0.1:${server.port}${path}`,
    connections,
    duration,
    sampleInt: SAMPLE_MS,
  };
  if (server.dpop && mode !== 'bare') {
    const pool = dpopPools[mode];
    options.requests = [
      {
        method: 'GET',
        path: '/accounts',
        setupRequest: (req) => {
          const next = pool[server.proofs[mode]++ % DPOP_PROOFS];
          return { ...req, headers: { ...req.headers, host: 'localhost', ...next } };
        },
      },
    ];
    return autocannon(options);
  }
  // The bare route gets the same Authorization header (and ignores it): the baseline then includes
  // receiving and parsing the token bytes, which no library avoids, so "added" is the library's cost.
  if (mode === 'warm' || mode === 'bare') options.headers = { authorization: warmToken };
  if (mode === 'cold')
    options.requests = [
      {
        method: 'GET',
        path: '/accounts',
        setupRequest: (req) => ({
          ...req,
          headers: { ...req.headers, authorization: pool[server.cursor++ % POOL] },
        }),
      },
    ];
  return autocannon(options);
}

async function measure(server, mode, duration = DURATION) {
  server.child.send('begin');
  await server.reply();
  const result = await cannon(server, mode, duration);
  server.child.send('end');
  const stats = await server.reply();
  return {
    rps: rpsOf(result),
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpu: stats.cpuMicros / stats.served,
    gc: stats.gcMicros / stats.served,
    errors: result.non2xx + result.errors + result.timeouts,
    cacheHits: stats.cacheHits,
  };
}

function answer(port, authorization) {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/accounts', headers: { authorization } }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve(`${res.statusCode} ${res.headers['www-authenticate'] ?? '(no WWW-Authenticate)'}`),
      );
    }).on('error', reject);
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fixed = (n, d = 1) => n.toFixed(d);
// With its sign: within the noise, a paired difference can come out negative.
const signed = (n) => `${n < 0 ? '' : '+'}${fixed(n)}`;
const rows = [];
const answers = [];
for (const framework of FRAMEWORKS) {
  const runs = [];
  for (const contender of CONTENDERS[framework]) {
    const name = nameOf(framework, contender);
    // The no-op layer reads no token: only its warm run (the warm token's header) is measured.
    const modes = contender === 'bare' ? ['bare'] : contender === 'noop' ? ['warm'] : ['warm', 'cold'];
    for (const mode of modes) {
      const servers = [];
      for (let p = 0; p < processesFor(contender, mode); p++) {
        const server = await startServer(framework, contender);
        await cannon(server, 'bare', WARMUP);
        if (mode !== 'bare') await cannon(server, mode, WARMUP);
        servers.push(server);
      }
      runs.push({ framework, contender, name, mode, servers, samples: [], baseline: [] });
      if (mode === 'warm' && !servers[0].dpop && contender !== 'noop')
        answers.push({
          framework,
          name,
          lowAcr: await answer(servers[0].port, lowAcr),
          expired: await answer(servers[0].port, expired),
        });
    }
  }
  // Rounds interleave the contenders, so drift in the machine's load hits all of them alike. Within a
  // round, each process's guarded route is measured in PAIRS short windows, each right before or right
  // after a window of its bare route, the order alternating from pair to pair: the machine's speed drifts
  // by 10-30 % over seconds, and two windows a second apart differ far less than two 3-second runs
  // several seconds apart (a paired difference over whole runs swung by ±30 µs on Express here).
  // Each round walks the first process of every run, then the second, ..., so the processes of one run
  // are measured at different times too.
  for (let round = 0; round < ROUNDS; round++) {
    for (let p = 0; p < MAX_PROCESSES; p++) {
      for (const run of runs) {
        const server = run.servers[p];
        if (server === undefined) continue;
        if (run.mode === 'bare') {
          await cannon(server, 'bare', WARMUP);
          run.samples.push(await measure(server, 'bare'));
          continue;
        }
        await cannon(server, 'bare', WARMUP);
        await cannon(server, run.mode, WARMUP);
        for (let pair = 0; pair < PAIRS; pair++) {
          const window = DURATION / PAIRS;
          const first = (round * PAIRS + pair) % 2 === 0 ? 'bare' : run.mode;
          const a = await measure(server, first, window);
          const b = await measure(server, first === 'bare' ? run.mode : 'bare', window);
          const [bare, guarded] = first === 'bare' ? [a, b] : [b, a];
          run.baseline.push(bare);
          run.samples.push(guarded);
          server.pairs.push(guarded.cpu - bare.cpu);
        }
      }
    }
    console.log(`${framework}: round ${round + 1}/${ROUNDS} measured`);
  }
  if (process.env.BENCH_VERBOSE)
    for (const run of runs)
      console.log(
        `  ${run.name} ${run.mode}, CPU µs/req per window pair (bare route / guarded): ${run.samples.map((s, i) => `${run.baseline[i] ? fixed(run.baseline[i].cpu) : '-'}/${fixed(s.cpu)}`).join(' ')}`,
      );
  for (const run of runs) {
    const pick = (key) => median(run.samples.map((s) => s[key]));
    // Per process, the median of the differences between its paired windows; the run's figure is the
    // mean over its processes (each process carries a bias of its own, which averages out, see above).
    const perProcess = run.mode === 'bare' ? [] : run.servers.map((server) => median(server.pairs));
    rows.push({
      framework,
      contender: run.contender,
      name: run.name,
      mode: run.mode,
      rps: pick('rps'),
      p50: pick('p50'),
      p99: pick('p99'),
      cpu: pick('cpu'),
      bare: run.mode === 'bare' ? pick('cpu') : median(run.baseline.map((s) => s.cpu)),
      gc: pick('gc'),
      added: run.mode === 'bare' ? 0 : mean(perProcess),
      perProcess,
      errors: [...run.samples, ...run.baseline].reduce((n, s) => n + s.errors, 0),
      cacheHits: run.samples.reduce((n, s) => n + s.cacheHits, 0),
      proofsUsed: Math.max(...run.servers.map((server) => (server.dpop ? server.proofs[run.mode] : 0))),
    });
  }
  for (const server of runs.flatMap((r) => r.servers)) {
    server.child.send('exit');
    await new Promise((resolve) => server.child.once('exit', resolve));
  }
}

console.log(
  `\nnode ${process.version}, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds; processes per guarded contender and mode: ${PROCESSES.warm} warm, ${PROCESSES.cold} cold, ${PROCESSES.dpop} DPoP; per round and process, ${PAIRS} windows of ${DURATION / PAIRS} s each paired with one of the same process's bare route (after ${WARMUP} s warm-up); medians, added: the mean of the processes' medians; cold pool ${POOL} tokens\n`,
);
console.log(
  '| framework | contender | mode | req/s | p50 ms | p99 ms | server CPU µs/req | of which GC | same process, bare route | added µs | added per process | non-2xx/errors | stepup cache hits |',
);
console.log('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|');
for (const r of rows) {
  const added = r.contender === 'bare' ? '' : fixed(r.added);
  const perProcess = r.perProcess.map((n) => fixed(n)).join(', ');
  const hits = r.contender.startsWith('stepup') ? String(r.cacheHits) : '';
  console.log(
    `| ${r.framework} | ${r.name} | ${r.mode} | ${fixed(r.rps, 0)} | ${r.p50} | ${r.p99} | ${fixed(r.cpu)} | ${fixed(r.gc)} | ${fixed(r.bare)} | ${added} | ${perProcess} | ${r.errors} | ${hits} |`,
  );
}

console.log('\nTargets (server CPU µs per request added over the bare route, same run):');
const rowOf = (framework, contender, mode) =>
  rows.find((r) => r.framework === framework && r.contender === contender && r.mode === mode);
let failed = false;
for (const framework of FRAMEWORKS) {
  const pick = (contender, mode) => rowOf(framework, contender, mode);
  const warm = pick('stepup', 'warm').added;
  const cold = pick('stepup', 'cold').added;
  const peer = Math.min(pick('peer', 'cold').added, pick('peer', 'warm').added);
  const warmOk = warm <= 10;
  const coldOk = cold <= peer;
  failed ||= !warmOk || !coldOk;
  console.log(`  ${framework} warm: ${signed(warm)} µs (target ≤ 10) ${warmOk ? 'met' : 'MISSED'}`);
  console.log(
    `  ${framework} cold: ${signed(cold)} µs vs ${PEERS[framework]} ${signed(peer)} µs (ratio ${fixed(cold / peer, 2)}) ${coldOk ? 'met' : 'MISSED'}`,
  );
}
for (const framework of FRAMEWORKS) {
  const pick = (contender, mode) => rowOf(framework, contender, mode);
  if (pick('stepup-dpop', 'warm') === undefined) continue;
  for (const mode of ['warm', 'cold']) {
    const ours = pick('stepup-dpop', mode).added;
    const peer = pick('peer-dpop', mode);
    const versus =
      peer === undefined
        ? '(no DPoP peer)'
        : `vs ${peer.name} ${signed(peer.added)} µs (ratio ${fixed(ours / peer.added, 2)})`;
    console.log(`  ${framework} DPoP ${mode}: ${signed(ours)} µs ${versus} (informational, no target)`);
  }
}
for (const framework of FRAMEWORKS) {
  const noop = rowOf(framework, 'noop', 'warm');
  if (noop !== undefined)
    console.log(
      `  ${framework} calibration, a ${noop.name}: ${signed(noop.added)} µs (what the method reads for no work; no target)`,
    );
}
const exhausted = rows.filter((r) => r.proofsUsed > DPOP_PROOFS);
if (exhausted.length > 0) {
  failed = true;
  console.log(
    `\nDPoP runs that used more than BENCH_DPOP_PROOFS proofs (replays: raise it): ${exhausted.map((r) => `${r.framework} ${r.name} ${r.mode}`).join(', ')}`,
  );
}
const warmed = rows.filter((r) => r.contender === 'stepup' && r.mode === 'cold' && r.cacheHits > 0);
if (warmed.length > 0) {
  failed = true;
  console.log(
    `\nCold runs that hit the cache (BENCH_POOL must exceed the requests one server receives in its cold runs): ${warmed.map((r) => r.framework).join(', ')}`,
  );
}
const invalid = rows.filter((r) => r.errors > 0);
if (invalid.length > 0) {
  failed = true;
  console.log(
    `\nRuns with non-2xx answers or errors (figures invalid): ${invalid.map((r) => `${r.framework} ${r.name} ${r.mode}`).join(', ')}`,
  );
}

if (SCALE) {
  console.log(
    '\nThroughput with one and two server processes (@stepup adapters, req/s, same total connections):',
  );
  console.log('| framework | mode | 1 process | 2 processes | ratio |');
  console.log('|---|---|---:|---:|---:|');
  for (const framework of FRAMEWORKS) {
    const servers = [await startServer(framework, 'stepup'), await startServer(framework, 'stepup')];
    // Two cursors far apart, so the two processes never verify the same cold token.
    servers[1].cursor = Math.floor(POOL / 2);
    for (const mode of ['warm', 'cold']) {
      for (const server of servers) await cannon(server, mode, WARMUP);
      const one = [];
      const two = [];
      for (let round = 0; round < ROUNDS; round++) {
        one.push(rpsOf(await cannon(servers[0], mode, DURATION)));
        const both = await Promise.all(
          servers.map((server) => cannon(server, mode, DURATION, Math.max(1, Math.floor(CONNECTIONS / 2)))),
        );
        two.push(both.reduce((sum, r) => sum + rpsOf(r), 0));
      }
      const [a, b] = [median(one), median(two)];
      console.log(`| ${framework} | ${mode} | ${fixed(a, 0)} | ${fixed(b, 0)} | ${fixed(b / a, 2)}x |`);
    }
    for (const server of servers) {
      server.child.send('exit');
      await new Promise((resolve) => server.child.once('exit', resolve));
    }
  }
}

console.log('\nWhat each contender answers (status and WWW-Authenticate):');
for (const a of answers) {
  console.log(`  ${a.framework} ${a.name}\n    acr too low: ${a.lowAcr}\n    expired:     ${a.expired}`);
}
if (failed) process.exitCode = 1;
