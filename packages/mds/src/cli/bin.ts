#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: async (path) => new Uint8Array(await readFile(path)),
  fetch: globalThis.fetch,
  now: Date.now,
});
