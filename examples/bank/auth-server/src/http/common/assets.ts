import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import { z } from 'zod';
import { AuthServerError } from '../../errors.js';

const PUBLIC = fileURLToPath(new URL('../../../public/', import.meta.url));

const WEBAUTHN_BROWSER = '@simplewebauthn/browser';
// What the package's manifest says of its browser build: `unpkg` names the UMD bundle.
const Manifest = z.object({ name: z.string(), unpkg: z.string().min(1) });

/**
 * The UMD build of `@simplewebauthn/browser` (it defines `SimpleWebAuthnBrowser`), served from the
 * installed package, never from a CDN. Its `exports` map exports only the ES module and CommonJS
 * entries, not the bundle, so the bundle cannot be resolved itself: the package is found by resolving
 * its entry as Node does, and the bundle is where the package's own manifest says (`unpkg`), not a
 * path into its `dist/` written here. (Its ES module entry is a graph of ~20 modules: slower to load
 * before a page's buttons work.)
 */
async function browserBundle(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve(WEBAUTHN_BROWSER);
  // Up from the entry to the package's own package.json (`script/` has one of its own, without a name).
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
    const parsed = manifest === undefined ? undefined : Manifest.safeParse(JSON.parse(manifest));
    if (parsed?.success && parsed.data.name === WEBAUTHN_BROWSER) {
      return readFile(join(dir, parsed.data.unpkg), 'utf8');
    }
  }
  throw new AuthServerError('ERR_CONFIG', `${WEBAUTHN_BROWSER}: no package.json naming its browser bundle`);
}

/** The stylesheet and scripts of the pages, read once at start and served from memory. */
export async function assetRoutes(): Promise<Router> {
  const files: Record<string, { type: string; body: string }> = {
    '/assets/bank.css': {
      type: 'text/css; charset=utf-8',
      body: await readFile(join(PUBLIC, 'bank.css'), 'utf8'),
    },
    '/assets/bank.js': {
      type: 'text/javascript; charset=utf-8',
      body: await readFile(join(PUBLIC, 'bank.js'), 'utf8'),
    },
    '/assets/simplewebauthn-browser.js': {
      type: 'text/javascript; charset=utf-8',
      body: await browserBundle(),
    },
  };
  const router = Router();
  for (const [path, file] of Object.entries(files)) {
    router.get(path, (_req, res) => {
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.type(file.type).send(file.body);
    });
  }
  return router;
}
