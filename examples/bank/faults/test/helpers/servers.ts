// The servers under test as child processes, started from source (see run-source.mjs), so a SIGKILL
// is a real one and an unhandled error really ends a process.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const RUN_SOURCE = fileURLToPath(new URL('./run-source.mjs', import.meta.url));
const ENTRY = {
  api: fileURLToPath(new URL('../../../api/src/cli.ts', import.meta.url)),
  auth: fileURLToPath(new URL('../../../auth-server/src/cli.ts', import.meta.url)),
};

const LogLine = z.looseObject({ level: z.string(), event: z.string() });
export type LogLine = z.infer<typeof LogLine>;

/** A server process, its JSON log lines and how it ended. */
export interface Server {
  readonly name: keyof typeof ENTRY;
  readonly url: string;
  readonly logs: LogLine[];
  /** What it wrote that is not a JSON log line (a crash's stack trace, say). */
  readonly output: string[];
  /** `null` while it runs. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | null;
  /** Resolves when the process has ended. */
  readonly ended: Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

// The servers read their configuration from the environment only; nothing of the test's own database
// settings (CI sets DATABASE_URL for the shared cluster) may leak into them.
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, DATABASE_SCHEMA: _schema, ...rest } = process.env;
  return { ...rest, ...env };
}

/**
 * Starts `name` with `env` and returns at once (so a caller that times out can still kill it); the
 * process is also killed should the test process exit first. Wait for it with {@link waitForLive}.
 */
export function spawnServer(name: Server['name'], url: string, env: Record<string, string>): Server {
  const child: ChildProcess = spawn(process.execPath, [RUN_SOURCE, ENTRY[name]], {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const orphan = () => child.kill('SIGKILL');
  process.once('exit', orphan);
  const logs: LogLine[] = [];
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const parsed = LogLine.safeParse(parseJson(line));
        if (parsed.success) logs.push(parsed.data);
        else if (line.trim() !== '') output.push(line);
      }
    });
  }
  let ended: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const endedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      ended = { code, signal };
      process.removeListener('exit', orphan);
      resolve();
    });
  });
  return {
    name,
    url,
    logs,
    output,
    exit: () => ended,
    ended: endedPromise,
    async kill(signal) {
      if (ended === null) child.kill(signal);
      await endedPromise;
    },
  };
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** Resolves once `GET /health/live` answers; fails at once should the server exit. */
export async function waitForLive(server: Server): Promise<Server> {
  await waitFor(`${server.name} to answer /health/live`, 60_000, async () => {
    assertRunning(server);
    // Bounded: a server that took the connection but never answers must not stall the wait.
    const live = await fetch(`${server.url}/health/live`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
    return live ? true : undefined;
  });
  return server;
}

/** Polls `probe` every 100 ms until it returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Throws, with what it wrote besides its log, when `server` has exited. */
export function assertRunning(server: Server): void {
  const exit = server.exit();
  if (exit === null) return;
  // A crash's message and first frames come first in what it wrote (log lines are JSON, kept apart).
  const head = server.output.slice(0, 8).join('\n');
  throw new Error(`${server.name} exited (code ${exit.code}, signal ${exit.signal}); it wrote:\n${head}`);
}

/** Waits until `GET /health/ready` answers `status`, failing at once should the server exit. */
export async function waitForReadiness(server: Server, status: 200 | 503, timeoutMs: number): Promise<void> {
  await waitFor(`${server.name} to answer /health/ready ${status}`, timeoutMs, async () => {
    assertRunning(server);
    const answered = await fetch(`${server.url}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then(
      async (r) => {
        await r.body?.cancel();
        return r.status;
      },
      () => undefined,
    );
    return answered === status ? true : undefined;
  });
}
