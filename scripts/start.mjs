#!/usr/bin/env node
// `npm start`: builds what is needed and runs the example bank on localhost:
//   authorization server http://localhost:4000, API http://localhost:4001, web http://localhost:5173.
// Each runs as its own process with its own command line (`dist/cli.js`); this script only builds,
// starts them, waits until they answer, prints where to go, and stops them all on Ctrl-C. While they
// run it says when one is not ready (its database or the authorization server's keys are down) and
// when it is again, and starts again a server that crashed after it had started (at most 5 a minute).
// Data: embedded PGlite under examples/bank/.data/ (kept across restarts), or PostgreSQL when
// DATABASE_URL is set (the API in schema bank_api, the authorization server in DATABASE_SCHEMA or bank_auth).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
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
const colour = process.stdout.isTTY ? (code, text) => `\x1b[${code}m${text}\x1b[0m` : (_code, text) => text;

function step(text) {
  process.stdout.write(`${colour('1;34', '›')} ${text}\n`);
}

async function build() {
  step('building the packages (tsc -b)');
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  step('building the web client (vite build)');
  const vite = await import('vite');
  await vite.build({ root: `${root}examples/bank/web`, logLevel: 'warn' });
}

const children = new Map();
let stopping = false;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function pipe(prefix, stream) {
  let rest = '';
  stream.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    for (const line of lines) if (line.trim() !== '') process.stdout.write(`${prefix} ${line}\n`);
  });
}

function start(server) {
  const child = spawn(process.execPath, [`${root}${server.script}`], {
    cwd: root,
    env: { ...env, ...server.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = colour(server.tint, `[${server.name}]`.padEnd(7));
  pipe(prefix, child.stdout);
  pipe(prefix, child.stderr);
  child.on('exit', (code, signal) => {
    children.delete(server.name);
    if (stopping) return;
    // Ctrl-C reaches every process of the terminal's group: a child that exits 0 was asked to.
    if (code === 0) return void stopAll(0);
    const how = signal ?? `exit ${code}`;
    const now = Date.now();
    server.crashes = server.crashes.filter((at) => now - at < 60_000);
    server.crashes.push(now);
    if (!server.started || server.crashes.length > 5) {
      process.stderr.write(`${prefix} stopped (${how}); stopping the others\n`);
      return void stopAll(1);
    }
    const delay = 1000 * 2 ** (server.crashes.length - 1);
    process.stderr.write(`${prefix} crashed (${how}); starting it again in ${delay / 1000} s\n`);
    setTimeout(() => {
      if (!stopping) start(server);
    }, delay);
  });
  children.set(server.name, child);
}

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  step('stopping…');
  const exits = [...children.values()].map(
    (child) => new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve))),
  );
  for (const child of children.values()) child.kill('SIGTERM');
  const timeout = setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, 5000);
  await Promise.all(exits);
  clearTimeout(timeout);
  process.exit(code);
}

async function waitFor(server) {
  for (let i = 0; i < 300; i++) {
    if (stopping) return;
    try {
      const response = await fetch(server.live, { signal: AbortSignal.timeout(2000) });
      if (response.ok) {
        server.started = true;
        return;
      }
    } catch {
      // not up yet
    }
    await sleep(200);
  }
  process.stderr.write(`${server.title} did not start within a minute\n`);
  await stopAll(1);
}

// `ready`, or why not: the dependencies a server reports down, or that it does not answer.
async function readiness(server) {
  try {
    const response = await fetch(server.ready, { signal: AbortSignal.timeout(2000) });
    if (response.ok) return 'ready';
    const { dependencies = {} } = await response.json();
    const down = Object.entries(dependencies).filter(([, state]) => state !== 'up');
    return `not ready: ${down.map(([name]) => `${name} down`).join(', ') || `answers ${response.status}`}`;
  } catch {
    return 'not answering';
  }
}

async function watchReadiness(servers) {
  const last = new Map();
  while (!stopping) {
    for (const server of servers) {
      const state = await readiness(server);
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
step(
  env.DATABASE_URL
    ? 'database: PostgreSQL (DATABASE_URL)'
    : 'database: embedded PGlite in examples/bank/.data/',
);
const shared = { AS_ISSUER: urls.as, API_AUDIENCE: urls.api, WEB_ORIGIN: urls.web };
const authSchema = { DATABASE_SCHEMA: env.DATABASE_SCHEMA ?? 'bank_auth' };
const servers = [
  {
    name: 'auth',
    title: 'the authorization server',
    script: 'examples/bank/auth-server/dist/cli.js',
    env: { ...shared, ...authSchema, AS_PORT: ports.as },
    tint: '35',
    live: `${urls.as}/health/live`,
    ready: `${urls.as}/health/ready`,
  },
  {
    name: 'api',
    title: 'the API',
    script: 'examples/bank/api/dist/cli.js',
    env: { ...shared, API_PORT: ports.api },
    tint: '36',
    live: `${urls.api}/health/live`,
    ready: `${urls.api}/health/ready`,
  },
  {
    name: 'web',
    title: 'the web client',
    script: 'examples/bank/web/dist/server/cli.js',
    env: { ...shared, WEB_PORT: ports.web, API_URL: urls.api },
    tint: '33',
    live: `${urls.web}/config.json`,
  },
].map((server) => ({ ...server, started: false, crashes: [] }));
for (const server of servers) start(server);
await Promise.all(servers.map(waitFor));
if (!stopping) {
  process.stdout.write(
    `\n  ${colour('1;32', 'Stepup Bank is running.')} Open ${colour('1', urls.web)} and open an account with a passkey.\n` +
      `  Authorization server ${urls.as} · API ${urls.api} · Ctrl-C stops everything.\n\n`,
  );
  void watchReadiness(servers.filter((server) => server.ready !== undefined));
}
