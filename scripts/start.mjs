#!/usr/bin/env node
// `npm start`: builds what is needed and runs the example bank on localhost:
//   authorization server http://localhost:4000, API http://localhost:4001, web http://localhost:5173.
// Each runs as its own process with its own command line (`dist/cli.js`); this script only builds,
// starts them, waits until they answer, prints where to go, and stops them all on Ctrl-C.
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

function start(name, script, extraEnv, tint) {
  const child = spawn(process.execPath, [`${root}${script}`], {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = colour(tint, `[${name}]`.padEnd(7));
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) if (line.trim() !== '') process.stdout.write(`${prefix} ${line}\n`);
    });
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (stopping) return;
    // Ctrl-C reaches every process of the terminal's group: a child that exits 0 was asked to.
    if (code !== 0)
      process.stderr.write(`${prefix} stopped (${signal ?? `exit ${code}`}); stopping the others\n`);
    void stopAll(code === 0 ? 0 : 1);
  });
  children.set(name, child);
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

async function waitFor(name, url) {
  for (let i = 0; i < 300; i++) {
    if (stopping) return;
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  process.stderr.write(`${name} did not start within a minute\n`);
  await stopAll(1);
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
start('auth', 'examples/bank/auth-server/dist/cli.js', { ...shared, ...authSchema, AS_PORT: ports.as }, '35');
start('api', 'examples/bank/api/dist/cli.js', { ...shared, API_PORT: ports.api }, '36');
start(
  'web',
  'examples/bank/web/dist/server/cli.js',
  { ...shared, WEB_PORT: ports.web, API_URL: urls.api },
  '33',
);
await Promise.all([
  waitFor('the authorization server', `${urls.as}/.well-known/openid-configuration`),
  waitFor('the API', `${urls.api}/health`),
  waitFor('the web client', `${urls.web}/config.json`),
]);
if (!stopping) {
  process.stdout.write(
    `\n  ${colour('1;32', 'Stepup Bank is running.')} Open ${colour('1', urls.web)} and open an account with a passkey.\n` +
      `  Authorization server ${urls.as} · API ${urls.api} · Ctrl-C stops everything.\n\n`,
  );
}
