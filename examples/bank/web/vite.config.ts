import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { DEFAULT_WEB_CONFIG } from './server/defaults.ts';

// `npm run dev -w @stepup-example/web` serves the app from source; the authorization server and the
// API must run on their default ports (see the README). The built app gets the same file from
// `serveWeb` (server/index.ts).
function devConfig(): Plugin {
  return {
    name: 'bank-dev-config',
    configureServer(server) {
      server.middlewares.use('/config.json', (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(DEFAULT_WEB_CONFIG));
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), devConfig()],
  // The workspaces' `@stepup/source` export condition: the app bundles the contract from its source,
  // like the tests and the type checker read it, so no build order matters.
  resolve: { conditions: ['@stepup/source', ...defaultClientConditions] },
  build: { outDir: 'dist/app', emptyOutDir: true },
  server: { host: 'localhost', port: 5173, strictPort: true },
});
