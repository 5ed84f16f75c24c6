// Core benchmark (issue 14), in one process, measured in interleaved rounds (medians reported):
//   floor  : node:crypto's one-shot verify of the same signatures in its cheapest form: a KeyObject
//            imported once and passed bare, ECDSA signatures converted to DER beforehand (untimed)
//   jose   : jose 6 jwtVerify with a CryptoKey (claims checked), for reference
//   fast-jwt : fast-jwt's verifier (what @fastify/jwt uses), cache off, iss/aud/required claims checked
//   minimal : split, decode, JSON.parse, verify, nothing checked: the part no JavaScript verifier skips
//   cold   : @stepup/core decide() with a new token each call, native backend (the default)
//   cold-jose : the same with the jose backend (backend: 'jose')
//   warm   : decide() with one token again (verified-token cache hit)
// for ES256, RS256 and EdDSA. CPU time (process.cpuUsage) per operation, and wall time. Each round pairs
// the floor with each of cold, fast-jwt and minimal in alternating blocks of 50 tokens; each ratio to the
// floor is the median of the rounds' ratios.
// Target: cold / floor <= 1.3 for each algorithm (CPU).
// Also: memory per cached token, and how cold and warm costs grow with issuers, keys and operations.
// Run: npm run bench:core   env: BENCH_POOL=5000 BENCH_ROUNDS=9
import { createPublicKey, verify } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createStepUp } from '@stepup/core';
import { createTestIssuer } from '@stepup/core/testing';
import { createVerifier } from 'fast-jwt';

const coreRequire = createRequire(new URL('../packages/core/package.json', import.meta.url));
const joseVersion = coreRequire('jose/package.json').version;
if (!joseVersion.startsWith('6.')) throw new Error(`expected the core's jose 6, found ${joseVersion}`);
const { importJWK, jwtVerify } = await import(
  pathToFileURL(join(dirname(coreRequire.resolve('jose/package.json')), 'dist/webapi/index.js')).href
);

const POOL = Number(process.env.BENCH_POOL ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const BLOCK = 50;
const PAIRED = ['cold', 'fast-jwt', 'minimal'];
const NOW = Date.parse('2026-11-21T12:00:00Z');
const now = () => NOW;
const ACR = 'urn:stepup:acr:high';
const ALGORITHMS = (process.env.BENCH_ALGS ?? 'ES256,RS256,EdDSA').split(',');

const claims = (i) => ({ sub: `user-${i}`, acr: ACR, auth_time: NOW / 1000 - 30, scope: 'accounts:read' });
const engineOptions = (issuer, extra = {}) => ({
  issuers: [issuer.config()],
  levels: [
    { name: 'standard', acr: ['urn:stepup:acr:standard'] },
    { name: 'high', acr: [ACR] },
  ],
  operations: { read: { level: 'high', maxAge: 300, scope: 'accounts:read' } },
  now,
  cache: { max: 10_000 },
  ...extra,
});
const request = (token) => ({
  method: 'GET',
  url: '/accounts',
  headers: { authorization: `Bearer ${token}` },
});
/**
 * The request as an HTTP server hands it over, built outside any timing as the floor's inputs are: a
 * flat header string, as Node's HTTP parser makes it (a template literal makes a rope, which the engine
 * would pay to flatten on every call, and which no server passes).
 */
const received = (token) => {
  const r = request(token);
  r.headers.authorization = Buffer.from(r.headers.authorization, 'latin1').toString('latin1');
  return r;
};

const DSA = { ES256: 'ieee-p1363', ES384: 'ieee-p1363' };

/** An ECDSA signature `r ‖ s` as DER, node:crypto's default encoding (for the floor, outside any timing). */
function derSignature(p1363) {
  const int = (bytes) => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    const v = bytes.subarray(i);
    return Buffer.concat([
      Buffer.from([2, v.length + (v[0] & 0x80 ? 1 : 0)]),
      v[0] & 0x80 ? Buffer.from([0]) : Buffer.alloc(0),
      v,
    ]);
  };
  const body = Buffer.concat([
    int(p1363.subarray(0, p1363.length / 2)),
    int(p1363.subarray(p1363.length / 2)),
  ]);
  return Buffer.concat([
    Buffer.from(body.length > 127 ? [0x30, 0x81, body.length] : [0x30, body.length]),
    body,
  ]);
}
const HASH = { ES256: 'sha256', RS256: 'sha256', PS256: 'sha256', EdDSA: null };

/** CPU and wall microseconds per call of `fn(i)` over `n` calls. */
async function time(fn, n, offset) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    // Only the asynchronous contenders are awaited: an await per call would add the same microtask to
    // the floor and to the cold path, and flatter their ratio.
    const pending = fn((offset + i) % POOL);
    if (pending instanceof Promise) await pending;
  }
  const used = process.cpuUsage(cpu);
  return {
    cpu: (used.user + used.system) / n,
    wall: Number(process.hrtime.bigint() - start) / n / 1000,
  };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function contendersFor(alg) {
  const as = await createTestIssuer({
    issuer: 'https://issuer.test',
    audience: 'https://api.test',
    alg,
    now,
    expiresIn: 3600,
  });
  const tokens = [];
  for (let i = 0; i < POOL; i++) tokens.push(await as.mint(claims(i)));
  const jwk = as.jwks.keys[0];
  const keyObject = createPublicKey({ key: jwk, format: 'jwk' });
  // The floor takes the cheapest form node:crypto has: the bare KeyObject (on Node 24 an options object
  // costs two internal TypeErrors per call, up to twice the time for RS256) and, for ECDSA, the signature
  // in DER, converted here, untimed. `minimal` passes the JOSE signature as it is, with `dsaEncoding`.
  const jwsInput = DSA[alg] ? { key: keyObject, dsaEncoding: DSA[alg] } : keyObject;
  const signed = tokens.map((t) => {
    const dot = t.lastIndexOf('.');
    const signature = Buffer.from(t.slice(dot + 1), 'base64url');
    return [Buffer.from(t.slice(0, dot)), DSA[alg] ? derSignature(signature) : signature];
  });
  const cryptoKey = await importJWK(jwk, alg);
  const native = createStepUp(engineOptions(as));
  const jose = createStepUp(engineOptions(as, { backend: 'jose' }));
  const warmRequest = received(tokens[0]);
  const requests = tokens.map(received);
  const joseOptions = () => ({
    issuer: 'https://issuer.test',
    audience: 'https://api.test',
    algorithms: [alg],
    requiredClaims: ['iss', 'exp', 'aud', 'sub', 'iat', 'client_id', 'jti'],
    currentDate: new Date(NOW),
  });
  // fast-jwt (what @fastify/jwt verifies with), its cache off: the same issuer, audience and clock.
  const fastJwt = createVerifier({
    key: keyObject.export({ type: 'spki', format: 'pem' }),
    algorithms: [alg],
    allowedIss: 'https://issuer.test',
    allowedAud: 'https://api.test',
    requiredClaims: ['iss', 'exp', 'aud', 'sub', 'iat', 'client_id', 'jti'],
    clockTimestamp: NOW,
    cache: false,
  });
  const mustAllow = (d, what) => {
    if (!d.allowed) throw new Error(`${what}: ${d.error.code}`);
  };
  return {
    floor: (i) => {
      if (!verify(HASH[alg], signed[i][0], keyObject, signed[i][1])) throw new Error('floor: bad signature');
    },
    jose: async (i) => {
      await jwtVerify(tokens[i], cryptoKey, joseOptions());
    },
    'fast-jwt': (i) => {
      if (fastJwt(tokens[i]).sub !== `user-${i}`) throw new Error('fast-jwt: wrong payload');
    },
    // The least any JWT verifier in JavaScript does: split, base64url-decode, JSON.parse header and payload,
    // verify the signature over the signing input's bytes. Nothing checked, for reference.
    minimal: (i) => {
      const t = tokens[i];
      const a = t.indexOf('.');
      const b = t.indexOf('.', a + 1);
      const header = JSON.parse(Buffer.from(t.slice(0, a), 'base64url').toString());
      const payload = JSON.parse(Buffer.from(t.slice(a + 1, b), 'base64url').toString());
      const ok = verify(
        HASH[header.alg],
        Buffer.from(t.slice(0, b)),
        jwsInput,
        Buffer.from(t.slice(b + 1), 'base64url'),
      );
      if (!ok || payload.sub !== `user-${i}`) throw new Error('minimal: bad signature');
    },
    cold: (i) => {
      // `check` is what the adapters call: a Decision synchronously when it can, else a promise.
      const d = native.check('read', requests[i]);
      mustAllow(d, 'cold');
    },
    'cold-jose': async (i) => mustAllow(await jose.decide('read', requests[i]), 'cold-jose'),
    warm: () => mustAllow(native.check('read', warmRequest), 'warm'),
    clear: () => {
      native.clearCache();
      jose.clearCache();
    },
  };
}

console.log(
  `node ${process.version}, jose ${joseVersion}, pool ${POOL} tokens per algorithm, ${ROUNDS} rounds`,
);
const results = {};
for (const alg of ALGORITHMS) {
  process.stdout.write(`${alg}: minting and warming up... `);
  const c = await contendersFor(alg);
  const names = ['floor', 'jose', 'fast-jwt', 'minimal', 'cold', 'cold-jose', 'warm'];
  for (const name of names) {
    c.clear();
    await time(c[name], Math.min(POOL, 1000), 0);
  }
  // Paired: each round runs the floor and one contender on the same blocks of BLOCK tokens in turn, so a
  // change in the machine's speed (a shared VM drifts by 10-30% over seconds) touches both alike; each
  // round's ratio compares figures taken within the same few milliseconds. One pairing per contender:
  // the garbage of one is never collected during the blocks of another.
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const ratios = Object.fromEntries(PAIRED.map((name) => [name, []]));
  let offset = 0;
  const n = Math.floor(POOL / 3);
  for (let r = 0; r < ROUNDS; r++) {
    c.clear(); // cold runs never reuse a cached token
    const round = Object.fromEntries(names.map((name) => [name, { cpu: 0, wall: 0, ops: 0 }]));
    for (const name of PAIRED) {
      const floor = { cpu: 0, wall: 0, ops: 0 };
      for (let b = 0; b < n; b += BLOCK) {
        for (const [into, fn] of [
          [floor, c.floor],
          [round[name], c[name]],
        ]) {
          const t = await time(fn, BLOCK, offset + b);
          into.cpu += t.cpu * BLOCK;
          into.wall += t.wall * BLOCK;
          into.ops += BLOCK;
        }
      }
      ratios[name].push(round[name].cpu / floor.cpu);
      if (name === 'cold') round.floor = floor;
    }
    // jose's contenders apart: interleaved, their garbage would be collected during the cold blocks.
    for (const name of ['jose', 'cold-jose']) {
      const t = await time(c[name], n, offset);
      round[name] = { cpu: t.cpu * n, wall: t.wall * n, ops: n };
    }
    c.warm(); // verified twice: admitted to the cache
    c.warm();
    const w = await time(c.warm, 50_000, 0);
    round.warm = { cpu: w.cpu * 50_000, wall: w.wall * 50_000, ops: 50_000 };
    for (const name of names)
      samples[name].push({
        cpu: round[name].cpu / round[name].ops,
        wall: round[name].wall / round[name].ops,
      });
    offset = (offset + n) % POOL;
  }
  results[alg] = Object.fromEntries(
    names.map((name) => [
      name,
      { cpu: median(samples[name].map((s) => s.cpu)), wall: median(samples[name].map((s) => s.wall)) },
    ]),
  );
  results[alg].ratio = Object.fromEntries(PAIRED.map((name) => [name, median(ratios[name])]));
  results[alg].ratios = ratios.cold;
  console.log('done');
}

const f = (n, d = 2) => n.toFixed(d);
console.log(
  '\n| alg | floor CPU µs | jose CPU µs | fast-jwt CPU µs | minimal JWT CPU µs | cold CPU µs | cold (jose backend) | warm CPU µs | fast-jwt / floor | minimal / floor | cold / floor | target ≤ 1.30 |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
let failed = false;
for (const [alg, m] of Object.entries(results)) {
  const ratio = m.ratio.cold;
  const ok = ratio <= 1.3;
  failed ||= !ok;
  const spread = `(rounds ${f(Math.min(...m.ratios), 2)}–${f(Math.max(...m.ratios), 2)})`;
  console.log(
    `| ${alg} | ${f(m.floor.cpu)} | ${f(m.jose.cpu)} | ${f(m['fast-jwt'].cpu)} | ${f(m.minimal.cpu)} | ${f(m.cold.cpu)} | ${f(m['cold-jose'].cpu)} | ${f(m.warm.cpu)} | ${f(m.ratio['fast-jwt'], 3)}x | ${f(m.ratio.minimal, 3)}x | ${f(ratio, 3)}x ${spread} | ${ok ? 'met' : 'MISSED'} |`,
  );
}
console.log(
  '\nminimal JWT: split, base64url-decode, JSON.parse header and payload, verify; nothing checked (what no verifier can skip).',
);
console.log(
  '\nwall µs: ' +
    Object.entries(results)
      .map(([alg, m]) => `${alg} floor ${f(m.floor.wall)} cold ${f(m.cold.wall)} warm ${f(m.warm.wall)}`)
      .join('; '),
);

// Memory per cached token: heap before and after filling the cache with N verified tokens.
async function memoryPerToken() {
  const as = await createTestIssuer({
    issuer: 'https://issuer.test',
    audience: 'https://api.test',
    now,
    expiresIn: 3600,
  });
  const N = 10_000;
  const tokens = [];
  for (let i = 0; i < N; i++) tokens.push(await as.mint(claims(i)));
  const engine = createStepUp(engineOptions(as, { cache: { max: N } }));
  const heap = () => {
    globalThis.gc?.();
    return process.memoryUsage().heapUsed;
  };
  const before = heap();
  // Each token verified twice: the cache stores a token the second time it is verified.
  for (const t of tokens) engine.check('read', request(t));
  for (const t of tokens) engine.check('read', request(t));
  const after = heap();
  // The entries: decideSync answers only from the cache, and stores nothing.
  const entries = tokens.filter((t) => engine.decideSync('read', request(t)) !== undefined).length;
  const tokenBytes = tokens[0].length;
  console.log(
    `\nmemory: ${f((after - before) / entries / 1024, 2)} KiB per cached token (${entries} of ${N} tokens of ${tokenBytes} characters cached after two verifications each, the token string included)${globalThis.gc ? '' : ' — run with --expose-gc for a steadier figure'}`,
  );
}

// Scaling: cold and warm CPU with more issuers, keys per issuer and operations.
async function scaling() {
  console.log('\n| issuers | keys per issuer | operations | cold CPU µs | warm CPU µs |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const [issuers, keys, operations] of [
    [1, 1, 1],
    [10, 1, 1],
    [100, 1, 1],
    [1, 10, 1],
    [1, 1, 1000],
  ]) {
    const list = [];
    for (let i = 0; i < issuers; i++)
      list.push(
        await createTestIssuer({
          issuer: `https://issuer-${i}.test`,
          audience: 'https://api.test',
          now,
          expiresIn: 3600,
        }),
      );
    const target = list[list.length - 1];
    const extraKeys = [];
    for (let k = 1; k < keys; k++) {
      const other = await createTestIssuer({ issuer: target.issuer, now });
      extraKeys.push(other.jwks.keys[0]);
    }
    const ops = { read: { level: 'high', maxAge: 300 } };
    for (let o = 1; o < operations; o++) ops[`op-${o}`] = { level: 'standard', scope: `s${o}` };
    const engine = createStepUp({
      issuers: list.map((as) =>
        as.config(as === target ? { jwks: { keys: [...extraKeys, ...as.jwks.keys] } } : {}),
      ),
      levels: [
        { name: 'standard', acr: ['urn:stepup:acr:standard'] },
        { name: 'high', acr: [ACR] },
      ],
      operations: ops,
      now,
    });
    const tokens = [];
    for (let i = 0; i < 2000; i++) tokens.push(await target.mint(claims(i)));
    const cold = [];
    const warm = [];
    for (let r = 0; r < 5; r++) {
      engine.clearCache();
      let c = process.cpuUsage();
      for (const t of tokens) engine.check('read', request(t));
      c = process.cpuUsage(c);
      cold.push((c.user + c.system) / tokens.length);
      const w0 = process.cpuUsage();
      const warmRequest = request(tokens[0]);
      for (let i = 0; i < 20_000; i++) engine.check('read', warmRequest);
      const w = process.cpuUsage(w0);
      warm.push((w.user + w.system) / 20_000);
    }
    console.log(`| ${issuers} | ${keys} | ${operations} | ${f(median(cold))} | ${f(median(warm))} |`);
  }
}

await memoryPerToken();
await scaling();
if (failed) process.exitCode = 1;
