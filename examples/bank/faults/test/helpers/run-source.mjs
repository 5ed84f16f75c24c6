#!/usr/bin/env node
// `node run-source.mjs <file.ts>`: runs one of the bank's command lines from its TypeScript source, in
// this process, so the suite can SIGKILL a real server on a fresh clone without a build. Node 20 cannot
// run TypeScript itself and the repository has no tsx; Vite (already here for Vitest and the web
// client) can, with its module runner, resolving workspace packages through the same aliases as
// Vitest (vitest.config.ts), so the servers run exactly the code the tests import.
import { fileURLToPath } from 'node:url';
import { createServer, createServerModuleRunner } from 'vite';

const entry = process.argv[2];
if (entry === undefined) throw new Error('usage: node run-source.mjs <file.ts>');
const root = fileURLToPath(new URL('../../../../../', import.meta.url));
const vite = await createServer({
  root,
  configFile: `${root}vitest.config.ts`,
  logLevel: 'error',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, watch: null, ws: false },
  optimizeDeps: { noDiscovery: true, include: [] },
});
const runner = createServerModuleRunner(vite.environments.ssr, { hmr: false });
await runner.import(entry);
