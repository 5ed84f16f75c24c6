// One contender of the HTTP benchmark (bench/http.mjs), in its own process. Started with fork() and
// driven over IPC: it receives the issuer's public key, listens on 127.0.0.1, then reports the server
// process's CPU time (user + system, every thread) and the requests it served between 'begin' and 'end'.
// Every contender also serves the bare route, unguarded, at /bare: the benchmark's same-process baseline.
//   node bench/http-server.mjs <express|fastify> <bare|noop|peer|stepup|peer-dpop|stepup-dpop>
// The DPoP contenders require DPoP-bound tokens (RFC 9449) for htu http://localhost/accounts (the
// benchmark sends Host: localhost; stepup takes the origin from its options, the peer from Host), and
// accept proofs up to an hour old, so that proofs made before the run stay valid through it.
import { createPublicKey } from 'node:crypto';
import { PerformanceObserver } from 'node:perf_hooks';

const [framework, contender] = process.argv.slice(2);
const { jwk, issuer, audience, acr } = await new Promise((resolve) => process.once('message', resolve));
const ROUTE = '/accounts';
// Room for the jtis of every proof of both pools (2 x BENCH_DPOP_PROOFS; each kept for the hour it is
// valid): the default store holds 100,000 and then answers 503, as it should, which a fast run reaches.
const replayStore =
  contender === 'stepup-dpop'
    ? (await import('@stepup/core/stores')).createMemoryReplayStore({ max: 1_000_000 })
    : undefined;
let served = 0;
let cacheHits = 0;
// Time spent in garbage collection (main-thread pauses), to tell allocation cost from compute.
let gcMillis = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMillis += entry.duration;
}).observe({ entryTypes: ['gc'] });

async function expressApp() {
  const { default: express } = await import('express');
  const app = express();
  // Keeps Express's default handler from logging the peer's 401s to stderr (the answers check).
  app.set('env', 'test');
  const bare = (_req, res) => res.json({ sub: 'anonymous' });
  app.get('/bare', bare);
  if (contender === 'bare') app.get(ROUTE, bare);
  // Calibration: one more layer that does nothing.
  if (contender === 'noop') app.get(ROUTE, (_req, _res, next) => next(), bare);
  if (contender === 'peer' || contender === 'peer-dpop') {
    const { auth, claimEquals } = await import('express-oauth2-jwt-bearer');
    // The Bearer peer keeps the library's defaults; the DPoP one requires DPoP (1.10: `dpop` options).
    const dpop =
      contender === 'peer-dpop' ? { dpop: { enabled: true, required: true, iatOffset: 3600 } } : {};
    const guard = auth({ issuer, audience, publicKey: jwk, tokenSigningAlg: 'ES256', ...dpop });
    app.get(ROUTE, guard, claimEquals('acr', acr), (req, res) => res.json({ sub: req.auth.payload.sub }));
  }
  if (contender === 'stepup' || contender === 'stepup-dpop') {
    const { stepUpErrorHandler, stepUpExpress } = await import('@stepup/express');
    const stepUp = stepUpExpress(stepUpOptions());
    app.get(ROUTE, stepUp.require('accounts:read'), (req, res) =>
      res.json({ sub: req.stepUp.token.subject }),
    );
    app.use(stepUpErrorHandler);
  }
  const { createServer } = await import('node:http');
  const server = createServer(app);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function fastifyApp() {
  const { default: Fastify } = await import('fastify');
  const app = Fastify();
  const bare = async () => ({ sub: 'anonymous' });
  if (contender === 'bare') app.get(ROUTE, bare);
  // Calibration: a preHandler that does nothing.
  if (contender === 'noop') app.get(ROUTE, { preHandler: (_request, _reply, done) => done() }, bare);
  if (contender === 'peer') {
    const { default: fastifyJwt } = await import('@fastify/jwt');
    const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    await app.register(fastifyJwt, {
      secret: { public: pem },
      verify: { algorithms: ['ES256'], allowedIss: issuer, allowedAud: audience },
    });
    // @fastify/jwt has no claim requirement: the acr check is written by hand, as its users must.
    const guard = async (request, reply) => {
      await request.jwtVerify();
      if (request.user.acr !== acr) return reply.code(401).send({ message: 'Insufficient authentication' });
    };
    app.get(ROUTE, { preHandler: guard }, async (request) => ({ sub: request.user.sub }));
  }
  if (contender === 'stepup' || contender === 'stepup-dpop') {
    const { stepUpFastify } = await import('@stepup/fastify');
    await app.register(stepUpFastify, stepUpOptions());
    app.get(ROUTE, { config: { stepUp: 'accounts:read' } }, async (request) => ({
      sub: request.stepUp.token.subject,
    }));
  }
  // Registered last, outside any guard: no `config.stepUp`, no preHandler.
  app.get('/bare', bare);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app.server;
}

function stepUpOptions() {
  return {
    issuers: [{ issuer, audience, jwks: { keys: [jwk] }, algorithms: ['ES256'] }],
    levels: [{ name: 'high', acr: [acr] }],
    operations: { 'accounts:read': { level: 'high' } },
    ...(contender === 'stepup-dpop'
      ? {
          dpop: {
            origin: 'http://localhost',
            required: true,
            proofMaxAge: 3600,
            algorithms: ['ES256'],
            replayStore,
          },
        }
      : {}),
    // Counts cache hits, to show that the cold runs are cold.
    audit: (event) => {
      if (event.cached) cacheHits++;
    },
  };
}

const server = framework === 'express' ? await expressApp() : await fastifyApp();
server.prependListener('request', () => {
  served++;
});

let start;
process.on('message', (message) => {
  if (message === 'begin') {
    start = { cpu: process.cpuUsage(), served, cacheHits, gcMillis };
    process.send({ begun: true });
  } else if (message === 'end') {
    const cpu = process.cpuUsage(start.cpu);
    process.send({
      cpuMicros: cpu.user + cpu.system,
      served: served - start.served,
      cacheHits: cacheHits - start.cacheHits,
      gcMicros: (gcMillis - start.gcMillis) * 1000,
    });
  } else if (message === 'exit') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
process.send({ port: server.address().port });
