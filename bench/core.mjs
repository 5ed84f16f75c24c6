// Core benchmark (issue 2): ES256, measured in one run, in one process, sequentially.
//   floor : node:crypto verify of the JWS signature alone
//   jose  : jose jwtVerify (claims checked) with a CryptoKey, a new token each call
//   jose+jwks : jose jwtVerify with createLocalJWKSet (key chosen by kid), as a resource server uses it
//   cold  : @stepup/core decide() with a new token each call (cache misses; includes bearer parsing,
//           issuer allow-list, typ/crit checks, jwtVerify, claim checks, policy, challenge-free allow)
//   warm  : @stepup/core decide() with the same token again (verified-token cache hit)
// Targets: cold within 1.1x of jose; warm at least 20x faster than cold.
// Run: npm run build && node bench/core.mjs
import { createPublicKey, verify } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createStepUp } from '@stepup/core';
import { createTestIssuer } from '@stepup/core/testing';

// The jose the core depends on (v6), not whatever version the workspace root hoists (a peer pulls jose 4).
const coreRequire = createRequire(new URL('../packages/core/package.json', import.meta.url));
const josePackage = coreRequire.resolve('jose/package.json');
const joseVersion = coreRequire('jose/package.json').version;
if (!joseVersion.startsWith('6.')) throw new Error(`expected the core's jose 6, found ${joseVersion}`);
const { base64url, createLocalJWKSet, importJWK, jwtVerify } = await import(
  pathToFileURL(join(dirname(josePackage), 'dist/webapi/index.js')).href
);

const POOL = Number(process.env.BENCH_POOL ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const NOW = Date.parse('2026-11-21T12:00:00Z');
const now = () => NOW;

const as = await createTestIssuer({
  issuer: 'https://issuer.test',
  audience: 'https://api.test',
  now,
  expiresIn: 3600,
});
const acr = 'urn:stepup:acr:high';
process.stdout.write(`minting ${POOL} ES256 tokens... `);
const tokens = [];
for (let i = 0; i < POOL; i++)
  tokens.push(await as.mint({ sub: `user-${i}`, acr, auth_time: NOW / 1000 - 30, scope: 'accounts:read' }));
console.log('done');

const jwk = as.jwks.keys[0];
const cryptoKey = await importJWK(jwk, 'ES256');
const keyObject = createPublicKey({ key: jwk, format: 'jwk' });
const options = {
  issuers: [as.config()],
  levels: [
    { name: 'standard', acr: ['urn:stepup:acr:standard'] },
    { name: 'high', acr: [acr] },
  ],
  operations: { read: { level: 'high', maxAge: 300, scope: 'accounts:read' } },
  now,
  cache: { max: 10_000 },
};
const stepUp = createStepUp(options);
const request = (token) => ({
  method: 'GET',
  url: '/accounts',
  headers: { authorization: `Bearer ${token}` },
});

const jwks = createLocalJWKSet(as.jwks);
// A fresh options object per call: some jose versions mutate `requiredClaims`.
const joseOptions = () => ({
  issuer: 'https://issuer.test',
  audience: 'https://api.test',
  algorithms: ['ES256'],
  typ: 'at+jwt',
  requiredClaims: ['iss', 'exp', 'aud', 'sub', 'iat', 'client_id', 'jti'],
  currentDate: new Date(NOW),
});
const contenders = {
  floor: async (i) => {
    const t = tokens[i];
    const dot = t.lastIndexOf('.');
    if (
      !verify(
        'sha256',
        Buffer.from(t.slice(0, dot)),
        { key: keyObject, dsaEncoding: 'ieee-p1363' },
        base64url.decode(t.slice(dot + 1)),
      )
    )
      throw new Error('floor: bad signature');
  },
  jose: async (i) => {
    await jwtVerify(tokens[i], cryptoKey, joseOptions());
  },
  'jose+jwks': async (i) => {
    await jwtVerify(tokens[i], jwks, joseOptions());
  },
  cold: async (i) => {
    const d = await stepUp.decide('read', request(tokens[i]));
    if (!d.allowed) throw new Error(`cold: ${d.error.code}`);
  },
  warm: async () => {
    const d = await stepUp.decide('read', warmRequest);
    if (!d.allowed) throw new Error(`warm: ${d.error.code}`);
  },
};
const warmRequest = request(tokens[0]);

async function time(fn, n, offset) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn((offset + i) % POOL);
  return Number(process.hrtime.bigint() - start) / n / 1000; // microseconds per op
}

// Warm-up (JIT), then rounds that interleave contenders so drift hits all of them alike.
for (const fn of Object.values(contenders)) await time(fn, 2000, 0);
const samples = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
let offset = 0;
for (let r = 0; r < ROUNDS; r++) {
  const n = Math.floor(POOL / 4);
  for (const [name, fn] of Object.entries(contenders)) {
    // cold must never reuse a token already cached: walk the pool, and clear the cache each round.
    if (name === 'cold') stepUp.clearCache();
    samples[name].push(await time(fn, name === 'warm' ? 100_000 : n, offset));
  }
  offset = (offset + n) % POOL;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));

console.log(
  `\nnode ${process.version}, jose ${joseVersion}, ${ROUNDS} rounds, median microseconds per operation (ES256)`,
);
console.log('contender              µs/op     ops/s');
for (const [name, us] of Object.entries(m))
  console.log(
    `${name.padEnd(20)} ${us.toFixed(2).padStart(8)} ${Math.round(1e6 / us)
      .toString()
      .padStart(9)}`,
  );
const coldRatio = m.cold / m.jose;
const coldJwksRatio = m.cold / m['jose+jwks'];
const warmSpeedup = m.cold / m.warm;
console.log(`\njose / floor                 ${(m.jose / m.floor).toFixed(2)}x`);
console.log(
  `cold / jose jwtVerify (key)  ${coldRatio.toFixed(3)}x   target <= 1.10x  ${coldRatio <= 1.1 ? 'MET' : 'MISSED'}`,
);
console.log(
  `cold / jose jwtVerify (jwks) ${coldJwksRatio.toFixed(3)}x   target <= 1.10x  ${coldJwksRatio <= 1.1 ? 'MET' : 'MISSED'}`,
);
console.log(
  `cold / warm (warm speedup)   ${warmSpeedup.toFixed(1)}x    target >= 20x    ${warmSpeedup >= 20 ? 'MET' : 'MISSED'}`,
);
