import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_WEB_CONFIG, serveWeb, WebServerError } from '../server/index.js';

const appDir = mkdtempSync(join(tmpdir(), 'stepup-web-app-'));
writeFileSync(join(appDir, 'index.html'), '<!doctype html><title>bank</title>');
afterAll(() => rmSync(appDir, { recursive: true, force: true }));

describe('serveWeb', () => {
  it('serves the app and the contract-checked /config.json, with a policy limited to the bank', async () => {
    const web = await serveWeb({ port: 0, appDir, config: DEFAULT_WEB_CONFIG });
    try {
      const config = await fetch(`${web.url}/config.json`);
      expect(await config.json()).toEqual(DEFAULT_WEB_CONFIG);
      expect(config.headers.get('cache-control')).toBe('no-store');
      const page = await fetch(`${web.url}/callback?code=x`);
      expect(await page.text()).toContain('<title>bank</title>');
      expect(page.headers.get('content-security-policy')).toBe(
        "default-src 'self';connect-src 'self' http://localhost:4000 http://localhost:4001;img-src 'self' data:;object-src 'none';base-uri 'none';frame-ancestors 'none'",
      );
      expect({
        nosniff: page.headers.get('x-content-type-options'),
        referrer: page.headers.get('referrer-policy'),
        opener: page.headers.get('cross-origin-opener-policy'),
        poweredBy: page.headers.get('x-powered-by'),
      }).toEqual({ nosniff: 'nosniff', referrer: 'no-referrer', opener: 'same-origin', poweredBy: null });
    } finally {
      await web.close();
    }
  });

  it('serves the built files with express.static, and answers its health probes', async () => {
    writeFileSync(join(appDir, 'app.js'), 'console.log("bank")');
    const web = await serveWeb({ port: 0, appDir, config: DEFAULT_WEB_CONFIG });
    try {
      const script = await fetch(`${web.url}/app.js`);
      expect([script.status, script.headers.get('content-type'), await script.text()]).toEqual([
        200,
        'text/javascript; charset=utf-8',
        'console.log("bank")',
      ]);
      const probes = await Promise.all(
        ['/health/live', '/health/ready'].map(async (path) => (await fetch(`${web.url}${path}`)).json()),
      );
      expect(probes).toEqual([{ status: 'ok' }, { status: 'ready' }]);
    } finally {
      await web.close();
    }
  });

  it('refuses a bad configuration before listening, naming the field', async () => {
    const error = await serveWeb({
      appDir,
      config: { ...DEFAULT_WEB_CONFIG, apiUrl: 'localhost:4001' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebServerError);
    expect(error).toMatchObject({ code: 'ERR_CONFIG', message: expect.stringContaining('config.apiUrl') });
    await expect(serveWeb({ appDir, port: 70_000, config: DEFAULT_WEB_CONFIG })).rejects.toMatchObject({
      code: 'ERR_CONFIG',
      message: expect.stringContaining('port'),
    });
  });

  it('refuses to start without a built app', async () => {
    await expect(
      serveWeb({ appDir: join(appDir, 'none'), config: DEFAULT_WEB_CONFIG }),
    ).rejects.toMatchObject({
      code: 'ERR_APP_MISSING',
    });
  });
});
