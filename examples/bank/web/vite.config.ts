import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// `npm run dev -w @stepup-example/web` serves the app from source; the authorization server and the
// API must run on their default ports (see the README). The built app gets the same file from
// `serveWeb` (server/index.ts).
function devConfig(): Plugin {
  const config = {
    issuer: 'http://localhost:4000',
    clientId: 'bank-web',
    apiUrl: 'http://localhost:4001',
    apiResource: 'http://localhost:4001',
    scope: 'openid profile offline_access accounts:read transfers:write payees:write',
  };
  return {
    name: 'bank-dev-config',
    configureServer(server) {
      server.middlewares.use('/config.json', (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(config));
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), devConfig()],
  build: { outDir: 'dist/app', emptyOutDir: true },
  server: { host: 'localhost', port: 5173, strictPort: true },
});
