// Where the cold-path CPU goes (companion of bench/http.mjs): CPU µs per ES256 verification for the
// pieces under each HTTP contender, each case in its own process (cases interfere when they share one).
// Run: npm run build && node bench/http-breakdown.mjs   (env: BENCH_POOL=4000)
import { fork } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { createRequire } from 'node:module';
import { createStepUp } from '@stepup/core';
import { createTestIssuer } from '@stepup/core/testing';

const CASES = {
  'node:crypto verify (one-shot, KeyObject): the floor': 'floor',
  'WebCrypto subtle.verify (CryptoKey)': 'webcrypto',
  'jose 6 jwtVerify, local JWKS (what the core calls)': 'jose6',
  '@stepup/core decide, cold (cache off)': 'cold',
  '@stepup/core decide, warm (cache hit)': 'warm',
  'fast-jwt verifier (inside @fastify/jwt)': 'fastjwt',
  'jose 4 jwtVerify, imported JWK (inside express-oauth2-jwt-bearer)': 'jose4',
};
const POOL = Number(process.env.BENCH_POOL ?? 4000);
const which = process.argv[2];

if (which === undefined) {
  console.log(`node ${process.version}, CPU µs per operation (user + system), median of 3 rounds of ${POOL}`);
  for (const [label, name] of Object.entries(CASES)) {
    const child = fork(new URL(import.meta.url), [name], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    const micros = await new Promise((resolve) => child.once('message', resolve));
    console.log(`${micros.toFixed(1).padStart(7)}  ${label}`);
  }
} else {
  const as = await createTestIssuer({
    issuer: 'https://issuer.test',
    audience: 'https://api.test',
    expiresIn: 3600,
  });
  const tokens = [];
  for (let i = 0; i < POOL; i++) tokens.push(await as.mint({ sub: `user-${i}`, acr: 'urn:stepup:acr:high' }));
  const jwk = as.jwks.keys[0];
  const keyObject = createPublicKey({ key: jwk, format: 'jwk' });
  const fromCore = createRequire(createRequire(import.meta.url).resolve('@stepup/core'));
  const fromPeer = (peer, dep) => createRequire(createRequire(import.meta.url).resolve(peer))(dep);
  const options = (cache) => ({
    issuers: [as.config()],
    levels: [{ name: 'high', acr: ['urn:stepup:acr:high'] }],
    operations: { read: { level: 'high' } },
    cache,
  });
  const claims = {
    issuer: as.issuer,
    audience: 'https://api.test',
    algorithms: ['ES256'],
    requiredClaims: ['iss', 'exp', 'aud', 'sub', 'iat', 'client_id', 'jti'],
  };
  const decide = (stepUp) => async (t) => {
    const d = await stepUp.decide('read', {
      method: 'GET',
      url: '/',
      headers: { authorization: `Bearer ${t}` },
    });
    if (!d.allowed) throw d.error;
  };
  const make = {
    floor: async () => (t) => {
      const dot = t.lastIndexOf('.');
      const ok = verify(
        'sha256',
        Buffer.from(t.slice(0, dot)),
        { key: keyObject, dsaEncoding: 'ieee-p1363' },
        Buffer.from(t.slice(dot + 1), 'base64url'),
      );
      if (!ok) throw new Error('bad signature');
    },
    webcrypto: async () => {
      const key = await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
        'verify',
      ]);
      return async (t) => {
        const dot = t.lastIndexOf('.');
        const sig = Buffer.from(t.slice(dot + 1), 'base64url');
        if (
          !(await crypto.subtle.verify(
            { name: 'ECDSA', hash: 'SHA-256' },
            key,
            sig,
            Buffer.from(t.slice(0, dot)),
          ))
        )
          throw new Error('bad signature');
      };
    },
    jose6: async () => {
      const jose = await import(fromCore.resolve('jose'));
      const keys = jose.createLocalJWKSet(as.jwks);
      return (t) => jose.jwtVerify(t, keys, claims);
    },
    cold: async () => decide(createStepUp(options(false))),
    warm: async () => {
      const run = decide(createStepUp(options({ max: 10 })));
      return () => run(tokens[0]);
    },
    fastjwt: async () => {
      const { createVerifier } = fromPeer('@fastify/jwt', 'fast-jwt');
      const pem = keyObject.export({ type: 'spki', format: 'pem' });
      return createVerifier({
        key: pem,
        algorithms: ['ES256'],
        allowedIss: as.issuer,
        allowedAud: 'https://api.test',
      });
    },
    jose4: async () => {
      const jose = fromPeer('express-oauth2-jwt-bearer', 'jose');
      // As express-oauth2-jwt-bearer does with a `publicKey` JWK.
      const key = await jose.importJWK(jwk, 'ES256');
      // jose 4 pushes into the caller's `requiredClaims` on every call: give it a fresh array each time.
      return (t) => jose.jwtVerify(t, key, { ...claims, requiredClaims: [...claims.requiredClaims] });
    },
  };
  const fn = await make[which]();
  const samples = [];
  for (let round = 0; round < 4; round++) {
    const start = process.cpuUsage();
    for (const t of tokens) await fn(t);
    const cpu = process.cpuUsage(start);
    if (round > 0) samples.push((cpu.user + cpu.system) / POOL);
  }
  process.send(samples.sort((a, b) => a - b)[1]);
  process.disconnect();
}
