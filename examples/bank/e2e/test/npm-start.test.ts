// `npm start` as a person runs it: scripts/start.mjs as a child process (it builds, then starts the
// three servers from their built command lines), on free ports, with PGlite in a temporary folder and
// the FIDO metadata offline: no network, no shared database.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from './helpers/ports.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const START = join(ROOT, 'scripts/start.mjs');
const BANNER = 'Stepup Bank is running.';
// A cold build of every workspace takes about half a minute on two cores; an up-to-date one a few seconds.
const TIMEOUT_MS = 120_000;

/** Whether something accepts connections on the port (a server that is still up). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Processes whose environment names `marker` (start.mjs passes its environment to every server). */
async function processesWith(marker: string): Promise<number[]> {
  if (!existsSync('/proc')) return [];
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'latin1').catch(() => '');
    if (environ.split('\0').includes(marker)) found.push(Number(entry));
  }
  return found;
}

interface Run {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// The servers read their configuration from the environment only: nothing of the test run (CI's
// DATABASE_URL, Vitest's NODE_ENV=test) may leak into them.
function runStart(env: Record<string, string>): Run {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !/^(DATABASE_URL|DATABASE_SCHEMA|API_DATABASE_SCHEMA|AS_DATA_DIR|API_DATA_DIR|MDS_.*|NODE_ENV|VITEST.*)$/.test(
          name,
        ),
    ),
  );
  const child = spawn(process.execPath, [START], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, output: () => output, exited };
}

async function until(what: string, run: Run, done: () => boolean): Promise<void> {
  const deadline = performance.now() + TIMEOUT_MS;
  let ended = false;
  void run.exited.then(() => {
    ended = true;
  });
  while (!done()) {
    if (ended) throw new Error(`start.mjs ended before ${what}:\n${run.output()}`);
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('npm start (scripts/start.mjs)', () => {
  let dataDir: string;
  let run: Run | undefined;
  let blocker: Server | undefined;

  /** start.mjs on three free ports (returned), its data in the test's folder, the metadata offline. */
  async function startBank(extra: Record<string, string> = {}) {
    const ports = { as: await freePort(), api: await freePort(), web: await freePort() };
    const started = runStart({
      AS_PORT: String(ports.as),
      API_PORT: String(ports.api),
      WEB_PORT: String(ports.web),
      BANK_DATA_DIR: dataDir,
      MDS_OFFLINE: '1',
      ...extra,
    });
    run = started;
    return { run: started, ports };
  }

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'stepup-start-'));
  });
  afterEach(async () => {
    run?.child.kill('SIGKILL');
    blocker?.close();
    for (const pid of await processesWith(`BANK_DATA_DIR=${dataDir}`)) process.kill(pid, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'brings up the whole bank, shows its real data folders, and stops everything on SIGINT',
    async () => {
      const { run: current, ports } = await startBank();
      const { as, api, web } = ports;
      await until('the banner', current, () => current.output().includes(BANNER));

      expect(current.output()).toContain(
        `database: embedded PGlite, the authorization server's in ${join(dataDir, 'auth-server')}, the API's in ${join(dataDir, 'api')}`,
      );
      expect(existsSync(join(dataDir, 'auth-server', 'PG_VERSION'))).toBe(true);
      expect(existsSync(join(dataDir, 'api', 'PG_VERSION'))).toBe(true);
      const ready = await Promise.all(
        [as, api, web].map(async (port) => (await fetch(`http://localhost:${port}/health/ready`)).status),
      );
      expect(ready).toEqual([200, 200, 200]);
      const config = await (await fetch(`http://localhost:${web}/config.json`)).json();
      expect(config).toMatchObject({ issuer: `http://localhost:${as}`, apiUrl: `http://localhost:${api}` });
      // start.mjs and its three servers.
      const running = await processesWith(`BANK_DATA_DIR=${dataDir}`);
      expect(running.filter((pid) => pid !== current.child.pid)).toHaveLength(3);

      current.child.kill('SIGINT');
      expect(await current.exited).toEqual({ code: 0, signal: null });
      expect(await Promise.all([as, api, web].map(listening))).toEqual([false, false, false]);
      expect(await processesWith(`BANK_DATA_DIR=${dataDir}`)).toEqual([]);
    },
    TIMEOUT_MS + 30_000,
  );

  it(
    'gives up after START_TIMEOUT_SECONDS, saying which server is not ready and why',
    async () => {
      const closed = await freePort();
      const { run: current } = await startBank({
        // A PostgreSQL nobody runs: both servers wait for it (a minute) and never listen meanwhile.
        DATABASE_URL: `postgres://bank:bank@127.0.0.1:${closed}/bank`,
        START_TIMEOUT_SECONDS: '3',
      });
      await until('the failure', current, () => current.output().includes('did not come up'));
      expect(await current.exited).toEqual({ code: 1, signal: null });
      expect(current.output()).toMatch(
        /(the authorization server|the API) did not come up within 3 s: it is not answering \(ECONNREFUSED\)/,
      );
      expect(current.output()).not.toContain(BANNER);
      expect(await processesWith(`BANK_DATA_DIR=${dataDir}`)).toEqual([]);
    },
    TIMEOUT_MS + 30_000,
  );

  it(
    'says which server did not come up and why, and stops the others',
    async () => {
      const api = await freePort();
      blocker = createServer();
      const taken = blocker;
      await new Promise<void>((resolve) => taken.listen(api, '127.0.0.1', resolve));
      const { run: current, ports } = await startBank({ API_PORT: String(api) });
      const deadline = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`start.mjs did not end:\n${current.output()}`)), TIMEOUT_MS),
      );
      expect(await Promise.race([current.exited, deadline])).toEqual({ code: 1, signal: null });
      const output = current.output();
      expect(output).toContain('the API did not come up: it exited (exit 1) before it was ready.');
      expect(output).toMatch(
        /server\.failed error=Error: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+/,
      );
      expect(output).not.toContain(BANNER);
      expect(await Promise.all([ports.as, ports.web].map(listening))).toEqual([false, false]);
      expect(await processesWith(`BANK_DATA_DIR=${dataDir}`)).toEqual([]);
    },
    TIMEOUT_MS + 30_000,
  );
});
