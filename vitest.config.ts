import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests import workspace packages by name; resolve them to source so `npm test` needs no build.
// The packed tarballs are checked separately by `npm run pack:check`.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@stepup\/core\/testing$/, replacement: src('./packages/core/src/testing/index.ts') },
      { find: /^@stepup\/core$/, replacement: src('./packages/core/src/index.ts') },
      { find: /^@stepup\/express$/, replacement: src('./packages/express/src/index.ts') },
      { find: /^@stepup\/fastify$/, replacement: src('./packages/fastify/src/index.ts') },
      { find: /^@stepup\/mds$/, replacement: src('./packages/mds/src/index.ts') },
      { find: /^@stepup-example\/db\/testing$/, replacement: src('./examples/bank/db/src/testing.ts') },
      { find: /^@stepup-example\/db$/, replacement: src('./examples/bank/db/src/index.ts') },
      { find: /^@stepup-example\/testkit$/, replacement: src('./examples/bank/testkit/src/index.ts') },
      {
        find: /^@stepup-example\/auth-server\/assurance$/,
        replacement: src('./examples/bank/auth-server/src/assurance.ts'),
      },
      {
        find: /^@stepup-example\/auth-server$/,
        replacement: src('./examples/bank/auth-server/src/index.ts'),
      },
      { find: /^@stepup-example\/api$/, replacement: src('./examples/bank/api/src/index.ts') },
      { find: /^@stepup-example\/web$/, replacement: src('./examples/bank/web/server/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/**/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts'],
      exclude: ['**/*.d.ts'],
      thresholds: {
        'packages/core/src/**': { lines: 95 },
      },
    },
  },
});
