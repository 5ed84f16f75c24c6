// What it costs to hand a grant to the handler on an Express 5 request (companion of bench/http.mjs, which
// reads @stepup/express's warm path a few µs higher on Node 20 than on Node 24).
// Express 5 gives every request its app's prototype (Object.setPrototypeOf) and then adds properties to it
// (res, next, baseUrl, originalUrl, params, route, ...). On V8 before 13 (Node 20 and 22), a property added to
// an object after its prototype was changed makes a new hidden class each time, so each request ends with a
// map of its own, and a property the middleware adds (`req.stepUp`) copies that map's descriptors again, on
// every request; the reads that follow, the handler's and Express's own in `res.json`, then miss the
// property caches for that new map. V8 13 (Node 24) reuses the transition.
// The requests here are real: made by a real Express app from http.IncomingMessage/ServerResponse objects
// (no socket traffic), collected at the route; each case then runs once per request, timed over the batch.
// Cases: nothing; `req.stepUp = grant` and the handler's read (what @stepup/express does); the same through
// `res.locals` (an object Express creates per request without a prototype, hence without shared maps); a
// WeakMap entry keyed by the request. Run: node bench/express-request.mjs   (env: BENCH_N=20000 BENCH_ROUNDS=7)
import { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import express from 'express';

const { version: expressVersion } = createRequire(import.meta.url)('express/package.json');
const N = Number(process.env.BENCH_N ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const grant = Object.freeze({ allowed: true, token: Object.freeze({ subject: 'user-1' }) });

let collected = [];
const app = express();
app.get('/accounts/:id', (req, res) => {
  collected.push([req, res]);
});
const socket = new Socket();

/** N requests as Express leaves them at the route's handler. */
function requests() {
  collected = [];
  for (let i = 0; i < N; i++) {
    const req = new IncomingMessage(socket);
    req.method = 'GET';
    req.url = `/accounts/${i}`;
    req.headers = { host: 'localhost', authorization: 'Bearer x' };
    app(req, new ServerResponse(req));
  }
  if (collected.length !== N) throw new Error(`the route saw ${collected.length} of ${N} requests`);
  return collected;
}

// What the handler and `res.json` read afterwards (the same names on the same object).
const after = (req) => (req.method === 'GET' ? 1 : 0) + (req.originalUrl.length > 0 ? 1 : 0);
const weak = new WeakMap();
const CASES = {
  nothing: (req) => after(req),
  'req.stepUp = grant, then read': (req) => {
    req.stepUp = grant;
    return req.stepUp.token.subject.length + after(req);
  },
  'res.locals.stepUp = grant, then read': (req, res) => {
    res.locals.stepUp = grant;
    return res.locals.stepUp.token.subject.length + after(req);
  },
  'WeakMap entry keyed by req, then read': (req) => {
    weak.set(req, grant);
    return weak.get(req).token.subject.length + after(req);
  },
};

function time(fn) {
  const batch = requests();
  let sink = 0;
  const start = process.cpuUsage();
  for (const [req, res] of batch) sink += fn(req, res);
  const used = process.cpuUsage(start);
  if (sink === 0) throw new Error('nothing ran');
  return (used.user + used.system) / N;
}

const samples = Object.fromEntries(Object.keys(CASES).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++)
  for (const [name, fn] of Object.entries(CASES)) samples[name].push(time(fn));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(samples.nothing);
// With its sign: within the noise, a difference can come out negative.
const signed = (n) => `${n < 0 ? '' : '+'}${n.toFixed(2)}`;
console.log(
  `node ${process.version} (V8 ${process.versions.v8}), ${N} requests made by Express ${expressVersion}, median of ${ROUNDS} rounds, CPU µs per request`,
);
for (const name of Object.keys(CASES)) {
  const figure = median(samples[name]);
  console.log(
    `  ${figure.toFixed(2).padStart(6)}  ${name}${name === 'nothing' ? '' : ` (${signed(figure - base)})`}`,
  );
}
