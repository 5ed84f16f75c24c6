// The system services some suites need, in one place: how each is detected, and how to enable it.
// A suite that needs one is declared with `requires(service)`: on a developer's machine without it the
// suite is skipped and `npm test` ends with a line saying how to enable it (skip-reporter.ts); under
// `CI` it is never skipped, so a missing service fails the run instead of passing it silently.
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

export type Service = 'postgres' | 'postgres-server' | 'chromium' | 'redis' | 'tree-sitter';

const require = createRequire(import.meta.url);
const loadable = (name: string) => {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
};

/** How to make each service available to the tests. */
export const SERVICES: Readonly<Record<Service, { readonly name: string; readonly enable: string }>> = {
  postgres: {
    name: 'PostgreSQL',
    enable:
      'apt-get install postgresql, then `bash .ci/postgres.sh` and set DATABASE_URL=postgres://stepup:stepup@127.0.0.1:5432/stepup',
  },
  'postgres-server': {
    name: 'the PostgreSQL server binaries',
    enable:
      'apt-get install postgresql (the suite starts a private server of its own from /usr/lib/postgresql/*/bin)',
  },
  chromium: { name: 'Chromium', enable: 'apt-get install chromium (or set CHROMIUM_PATH)' },
  redis: {
    name: 'Redis',
    enable:
      "apt-get install redis-server, start it (redis-server --daemonize yes --save ''), set REDIS_URL=redis://127.0.0.1:6379",
  },
  'tree-sitter': {
    name: 'tree-sitter-swift',
    enable: 'npm install (its optional tree-sitter and tree-sitter-swift native modules)',
  },
};

/** The newest Debian PostgreSQL server's `bin` folder (with `initdb` and `pg_ctl`), if installed. */
export function postgresServerBinaries(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter(
      (v) =>
        /^\d+$/.test(v) && existsSync(`${base}/${v}/bin/initdb`) && existsSync(`${base}/${v}/bin/pg_ctl`),
    )
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : `${base}/${versions[0]}/bin`;
}

/** Whether a service is there, as the suites that need it will find it. */
export function available(service: Service): boolean {
  switch (service) {
    case 'postgres':
      return Boolean(process.env.DATABASE_URL);
    case 'postgres-server':
      return postgresServerBinaries() !== undefined;
    case 'chromium':
      return existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');
    case 'redis':
      return Boolean(process.env.REDIS_URL);
    case 'tree-sitter':
      return loadable('tree-sitter') && loadable('tree-sitter-swift');
  }
}

/** Under CI every suite runs: a missing service must fail, not skip. */
export const inCi = Boolean(process.env.CI);

/**
 * Options for a `describe` whose tests need `service`: skipped (with the reason kept for the report)
 * when the service is missing, except under CI.
 * @example describe('the store on PostgreSQL', requires('postgres'), () => { … });
 */
export function requires(service: Service): { skip: boolean; meta: { requires: Service } } {
  return { skip: !inCi && !available(service), meta: { requires: service } };
}

/**
 * For suites that run once per database (`testDatabases` lists PostgreSQL only when `DATABASE_URL` is
 * set): declares the PostgreSQL variant as a skipped suite when it is left out, so the run says so,
 * and fails it under CI.
 * @example describe.each(DATABASES)('the ledger on $name', …); postgresVariant('the ledger on PostgreSQL');
 */
export function postgresVariant(name: string): void {
  if (available('postgres')) return;
  describe(name, requires('postgres'), () => {
    it('runs with DATABASE_URL set', () => {
      expect.fail('DATABASE_URL is not set: this suite must run on PostgreSQL');
    });
  });
}
