import type { CliIo } from './run.js';

/** A failure the command line reports in one line, with a stable exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Exit codes: 0 success, 1 a failure (verification, classification, an unreadable input), 2 usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const WHY: Readonly<Record<string, string>> = {
  ENOENT: 'file not found',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EMFILE: 'too many open files',
};

/**
 * Reads an input file; a failure becomes `cannot read <path> (<why>)`, never the system's own text
 * (`ENOENT: no such file or directory, open …`).
 */
export async function readInput(io: CliIo, path: string): Promise<Uint8Array> {
  try {
    return await io.readFile(path);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    throw new CliError(`cannot read ${path} (${WHY[code] ?? 'unreadable'})`, EXIT.failed);
  }
}

/** Reads and parses a JSON input file. */
export async function readJson(io: CliIo, path: string, option: string): Promise<unknown> {
  const bytes = await readInput(io, path);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new CliError(`${option}: ${path} is not JSON`, EXIT.usage);
  }
}
