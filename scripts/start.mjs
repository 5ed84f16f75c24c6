#!/usr/bin/env node
// `npm start`: builds what is needed and runs the example bank on localhost:
//   authorization server http://localhost:4000, API http://localhost:4001, web http://localhost:5173
//   (AS_PORT, API_PORT, WEB_PORT change them).
// Each runs as its own process with its own command line (`dist/cli.js`); this script builds, starts
// them, polls each one's readiness (`/health/ready`, every probe bounded, the whole wait bounded by
// START_TIMEOUT_SECONDS, default 60), and then either prints where to go or says which server did not
// come up and why, and stops the others. Ctrl-C (SIGINT) or SIGTERM stops everything. While they run it
// says when one is not ready (its database or the authorization server's keys are down) and when it is
// again, and starts again a server that crashed after it had started (at most 5 a minute).
// Data: embedded PGlite in BANK_DATA_DIR (default examples/bank/.data/: auth-server/, api/, and the
// FIDO metadata BLOB mds-blob.jwt), kept across restarts; or PostgreSQL when DATABASE_URL is set (the
// API in schema API_DATABASE_SCHEMA or bank_api, the authorization server in DATABASE_SCHEMA or bank_auth).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const env = process.env;
const ports = { as: env.AS_PORT ?? '4000', api: env.API_PORT ?? '4001', web: env.WEB_PORT ?? '5173' };
const urls = {
  as: `http://localhost:${ports.as}`,
  api: `http://localhost:${ports.api}`,
  web: `http://localhost:${ports.web}`,
};
const startTimeoutMs = 1000 * Number(env.START_TIMEOUT_SECONDS ?? 60);
const dataRoot = resolve(env.BANK_DATA_DIR ?? join(root, 'examples/bank/.data'));
const data = {
  as: resolve(env.AS_DATA_DIR ?? join(dataRoot, 'auth-server')),
  api: resolve(env.API_DATA_DIR ?? join(dataRoot, 'api')),
  mdsBlob: resolve(env.MDS_BLOB_FILE ?? join(dataRoot, 'mds-blob.jwt')),
};
const schemas = { as: env.DATABASE_SCHEMA ?? 'bank_auth', api: env.API_DATABASE_SCHEMA ?? 'bank_api' };
const colour = process.stdout.isTTY ? (code, text) => `\x1b[${code}m${text}\x1b[0m` : (_code, text) => text;

function step(text) {
  process.stdout.write(`${colour('1;34', '›')} ${text}\n`);
}

function fail(text) {
  process.stderr.write(`${colour('1;31', '✗')} ${text}\n`);
}

async function build() {
  step('building the packages (tsc -b)');
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    fail('the build failed (see above); nothing was started');
    process.exit(result.status ?? 1);
  }
  step('building the web client (vite build)');
  const vite = await import('vite');
  // The React plugin picks its JSX runtime from NODE_ENV: the production one, whatever the shell says.
  const before = env.NODE_ENV;
  env.NODE_ENV = 'production';
  try {
    await vite.build({ root: `${root}examples/bank/web`, mode: 'production', logLevel: 'warn' });
  } finally {
    if (before === undefined) delete env.NODE_ENV;
    else env.NODE_ENV = before;
  }
}

const children = new Map();
let stopping = false;
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

// A server's log line (pino JSON: level, time, name, event, fields) made short for a terminal; any
// other line (a stack trace, a warning of Node's) as it is.
function render(line) {
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null || typeof entry.event !== 'string') return line;
  const { level, time: _time, name: _name, event, ...fields } = entry;
  const shown = Object.entries(fields).map(([key, value]) => {
    const error = typeof value === 'object' && value !== null && typeof value.message === 'string';
    return `${key}=${error ? `${value.type ?? 'Error'}: ${value.message}` : JSON.stringify(value)}`;
  });
  const tint = level === 'error' ? '31' : level === 'warn' ? '33' : '2';
  return [colour(tint, String(level).padEnd(5)), event, ...shown].join(' ');
}

function pipe(server, prefix, stream) {
  let rest = '';
  stream.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    for (const line of lines) {
      if (line.trim() === '') continue;
      const shown = render(line);
      server.lastLines = [...server.lastLines.slice(-4), shown];
      process.stdout.write(`${prefix} ${shown}\n`);
    }
  });
}

function start(server) {
  const child = spawn(process.execPath, [`${root}${server.script}`], {
    cwd: root,
    env: { ...env, ...server.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = colour(server.tint, `[${server.name}]`.padEnd(7));
  pipe(server, prefix, child.stdout);
  pipe(server, prefix, child.stderr);
  child.on('exit', (code, signal) => {
    children.delete(server.name);
    const how = signal ?? `exit ${code}`;
    server.exited = how;
    if (stopping) return;
    // Ctrl-C reaches every process of the terminal's group: a child that exits 0 was asked to.
    if (code === 0) return void stopAll(0);
    if (!server.started) return; // waitUntilReady reports it
    const now = Date.now();
    server.crashes = server.crashes.filter((at) => now - at < 60_000);
    server.crashes.push(now);
    if (server.crashes.length > 5) {
      fail(
        `${server.title} crashed ${server.crashes.length} times in a minute (${how}); stopping the others`,
      );
      return void stopAll(1);
    }
    const delay = 1000 * 2 ** (server.crashes.length - 1);
    fail(`${server.title} crashed (${how}); starting it again in ${delay / 1000} s`);
    setTimeout(() => {
      if (!stopping) start(server);
    }, delay);
  });
  server.exited = undefined;
  children.set(server.name, child);
}

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  step('stopping…');
  const exits = [...children.values()].map(
    (child) => new Promise((done) => (child.exitCode !== null ? done() : child.once('exit', done))),
  );
  for (const child of children.values()) child.kill('SIGTERM');
  const timeout = setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, 5000);
  await Promise.all(exits);
  clearTimeout(timeout);
  process.exit(code);
}

// `ready`, or what is wrong: the dependencies a server reports down, its status, or why it does not answer.
async function probe(server) {
  try {
    const response = await fetch(server.ready, { signal: AbortSignal.timeout(2000) });
    if (response.ok) return 'ready';
    const body = await response.json().catch(() => ({}));
    const down = Object.entries(body.dependencies ?? {}).filter(([, state]) => state !== 'up');
    const why = down.map(([name]) => `${name} down`).join(', ');
    return `not ready: /health/ready answers ${response.status}${why === '' ? '' : ` (${why})`}`;
  } catch (error) {
    const cause =
      error?.cause?.code ?? (error?.name === 'TimeoutError' ? 'no answer within 2 s' : error?.message);
    return `not answering (${cause})`;
  }
}

// Resolves once the server is ready; otherwise says which one did not come up and why, and stops all.
async function waitUntilReady(server) {
  const deadline = performance.now() + startTimeoutMs;
  let state = 'not started';
  while (!stopping) {
    if (server.exited !== undefined) {
      const last = server.lastLines.map((line) => `\n    ${line}`).join('');
      fail(`${server.title} did not come up: it exited (${server.exited}) before it was ready.${last}`);
      return void stopAll(1);
    }
    state = await probe(server);
    if (state === 'ready') {
      server.started = true;
      return;
    }
    if (performance.now() > deadline) {
      fail(`${server.title} did not come up within ${startTimeoutMs / 1000} s: it is ${state}`);
      return void stopAll(1);
    }
    await sleep(250);
  }
}

async function watchReadiness(servers) {
  const last = new Map();
  while (!stopping) {
    for (const server of servers) {
      const state = await probe(server);
      const before = last.get(server.name) ?? 'ready';
      if (state !== before && !stopping) {
        step(state === 'ready' ? `${server.title} is ready again` : `${server.title} is ${state}`);
      }
      last.set(server.name, state);
    }
    await sleep(2000);
  }
}

process.once('SIGINT', () => void stopAll(0));
process.once('SIGTERM', () => void stopAll(0));

await build();
if (env.DATABASE_URL) {
  step(
    `database: PostgreSQL (DATABASE_URL), schemas ${schemas.as} (authorization server) and ${schemas.api} (API)`,
  );
} else {
  step(`database: embedded PGlite, the authorization server's in ${data.as}, the API's in ${data.api}`);
}
step(`FIDO metadata kept in ${data.mdsBlob}`);
const shared = { AS_ISSUER: urls.as, API_AUDIENCE: urls.api, WEB_ORIGIN: urls.web };
// Demo mode (the authorization server's README, "Demo mode"): Chrome's DevTools virtual security key counts
// as a certified one, so a newcomer without hardware reaches the high level; BANK_DEMO_TRUST=off turns it
// off. A first security key waits a minute instead of a day before it counts at the high level.
const demo =
  env.BANK_DEMO_TRUST === 'off'
    ? {}
    : { BANK_DEMO_TRUST: env.BANK_DEMO_TRUST ?? 'chrome-virtual-authenticator' };
const coolingOff = env.AS_KEY_COOLING_OFF_SECONDS ?? '60';
const servers = [
  {
    name: 'auth',
    title: 'the authorization server',
    script: 'examples/bank/auth-server/dist/cli.js',
    env: {
      ...shared,
      AS_PORT: ports.as,
      AS_DATA_DIR: data.as,
      DATABASE_SCHEMA: schemas.as,
      MDS_BLOB_FILE: data.mdsBlob,
      AS_KEY_COOLING_OFF_SECONDS: coolingOff,
      ...demo,
    },
    tint: '35',
    ready: `${urls.as}/health/ready`,
  },
  {
    name: 'api',
    title: 'the API',
    script: 'examples/bank/api/dist/cli.js',
    env: { ...shared, API_PORT: ports.api, API_DATA_DIR: data.api, API_DATABASE_SCHEMA: schemas.api },
    tint: '36',
    ready: `${urls.api}/health/ready`,
  },
  {
    name: 'web',
    title: 'the web client',
    script: 'examples/bank/web/dist/server/cli.js',
    env: { ...shared, WEB_PORT: ports.web, API_URL: urls.api },
    tint: '33',
    ready: `${urls.web}/health/ready`,
  },
].map((server) => ({ ...server, started: false, crashes: [], lastLines: [], exited: undefined }));
for (const server of servers) start(server);
await Promise.all(servers.map(waitUntilReady));
if (!stopping) {
  process.stdout.write(
    `\n  ${colour('1;32', 'Stepup Bank is running.')} Open ${colour('1', urls.web)} and open an account with a passkey.\n` +
      `  Authorization server ${urls.as} · API ${urls.api} · Ctrl-C stops everything.\n` +
      (demo.BANK_DEMO_TRUST
        ? `  ${colour('1;33', 'Demo trust is on:')} Chrome's DevTools virtual security key counts as a certified key (BANK_DEMO_TRUST=off to turn it off).\n`
        : '') +
      `  A new security key counts at the high level ${coolingOff} s after it is added.\n\n`,
  );
  void watchReadiness(servers);
}
