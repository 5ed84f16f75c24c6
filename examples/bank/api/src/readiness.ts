import {
  type Db,
  type DependencyCheck,
  logDependencyChange,
  type Readiness,
  watchReadiness,
} from '@stepup-example/db';
import type { Logger } from '@stepup-example/observability';
import { z } from 'zod';

/** Options of {@link bankReadiness}. */
export interface BankReadinessOptions {
  readonly db: Db;
  /** The authorization server's JWKS; `undefined` when the keys are configured inline. */
  readonly jwksUri: string | undefined;
  readonly fetch: typeof fetch;
  readonly logger: Logger;
  /** Per check; default 1000 ms. */
  readonly timeoutMs?: number;
  /** Background checks; default every 2000 ms, 0 for none. */
  readonly intervalMs?: number;
  /** A report this recent is answered again; default 500 ms. */
  readonly maxAgeMs?: number;
}

const Jwks = z.object({ keys: z.array(z.object({ kty: z.string() })).min(1) });

async function fetchJwks(fetcher: typeof fetch, uri: string, timeoutMs: number): Promise<void> {
  const response = await fetcher(uri, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`JWKS answered ${response.status}`);
  Jwks.parse(await response.json());
}

/**
 * What the API needs to serve: its database (`SELECT 1`) and, when it fetches them, the authorization
 * server's signing keys (a JWKS with at least one key). The keys are fetched with the same `fetch` as
 * the token verifier but apart from its cache: readiness asks whether they can be fetched now.
 * Changes are logged (`dependency.down`, `dependency.up`).
 */
export function bankReadiness(options: BankReadinessOptions): Readiness {
  const { db, jwksUri } = options;
  const checks: DependencyCheck[] = [{ name: 'database', check: (timeoutMs) => db.ping({ timeoutMs }) }];
  if (jwksUri !== undefined) {
    checks.push({ name: 'jwks', check: (timeoutMs) => fetchJwks(options.fetch, jwksUri, timeoutMs) });
  }
  return watchReadiness({
    checks,
    onChange: logDependencyChange(options.logger),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
    ...(options.maxAgeMs === undefined ? {} : { maxAgeMs: options.maxAgeMs }),
  });
}
