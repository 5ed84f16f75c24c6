import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';

const PUBLIC = fileURLToPath(new URL('../../../public/', import.meta.url));

async function browserBundle(): Promise<string> {
  // The UMD build of @simplewebauthn/browser defines `SimpleWebAuthnBrowser`; served from the
  // installed package, never from a CDN.
  const entry = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
  return readFile(join(dirname(entry), '..', 'dist', 'bundle', 'index.umd.min.js'), 'utf8');
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
