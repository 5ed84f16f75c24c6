import { defineConfig } from 'vitest/config';

// Tests import workspace packages by name. Every workspace's `exports` map has an `@stepup/source`
// condition that points at its TypeScript source (the one source of truth for entry points, also used by
// `tsconfig.json`'s `customConditions`), so `npm test` needs no build. The packed tarballs are checked
// separately by `npm run pack:check`.
const conditions = ['@stepup/source'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    reporters: ['default', './test/skip-reporter.ts'],
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
