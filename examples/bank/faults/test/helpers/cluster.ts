// A PostgreSQL server of the suite's own, from Debian's binaries, in a temporary directory on a free
// loopback port: the suite stops and starts it at will without touching the shared cluster on 5432.
// PostgreSQL refuses to run as root, so as root every binary runs as the `postgres` user (runuser).
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.js';

const run = promisify(execFile);

/** A running private server. */
export interface PrivateCluster {
  /** `postgres://…@127.0.0.1:<port>/bank` */
  readonly url: string;
  readonly port: number;
  /** `pg_ctl stop -m fast`: every session is ended with 57P01, as in a restart by an operator. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it (when running) and deletes its directory. */
  destroy(): Promise<void>;
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * initdb (password auth on loopback, the socket in the private directory), then starts the server.
 * Durability settings are PostgreSQL's defaults except `fsync`: the faults here are of processes and
 * connections, not of the machine, and the suite shares two cores.
 */
export async function startPrivateCluster(bin: string): Promise<PrivateCluster> {
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), 'stepup-faults-pg-'));
  const data = join(dir, 'data');
  const password = randomBytes(12).toString('hex');
  await writeFile(join(dir, 'pw'), `${password}\n`, { mode: 0o600 });
  if (asRoot) {
    const { uid, gid } = await postgresIds();
    await chown(dir, uid, gid);
    await chown(join(dir, 'pw'), uid, gid);
  }
  const command = (tool: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  // Each bounded, so a stuck step fails with its own error before the test's hook times out.
  const pg = (tool: string, args: string[]) => run(...command(tool, args), { timeout: 60_000 });
  // Should the test process end without destroy() (a timed-out hook), the server must not outlive it.
  const orphan = () => {
    try {
      execFileSync(...command('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']), { stdio: 'ignore' });
    } catch {
      // not running
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', orphan);
  await pg('initdb', [
    '-D',
    data,
    '-U',
    'bank',
    `--pwfile=${join(dir, 'pw')}`,
    '--auth-local=scram-sha-256',
    '--auth-host=scram-sha-256',
    '--no-sync',
    // Whatever LANG the machine has (maybe a locale that is not installed): the C locale always exists.
    '--no-locale',
    '-E',
    'UTF8',
  ]);
  const port = await freePort();
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40`;
  let running = false;
  const cluster: PrivateCluster = {
    url: `postgres://bank:${password}@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      await pg('pg_ctl', ['-D', data, '-o', settings, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']);
      running = true;
    },
    async stop() {
      await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
      running = false;
    },
    async destroy() {
      process.removeListener('exit', orphan);
      if (running) await cluster.stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await cluster.start();
  } catch (error) {
    process.removeListener('exit', orphan);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return cluster;
}
