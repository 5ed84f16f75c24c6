import { z } from 'zod';
import type { BlobTrust } from '../blob/trust.js';
import { resolveTrust } from '../blob/trust.js';
import { blobTrustOptions } from '../blob/verify-blob.js';
import { DEFAULT_MAX_BLOB_BYTES } from '../blob/verify-core.js';
import { type LocalStatement, localStatementsSchema } from '../classify/local-statements.js';
import { dateOf, fn, parseOptions, systemClock } from '../options.js';
import { fileBlobPersistence } from './file-persistence.js';
import type { BlobPersistence, RefreshEvent, Scheduler } from './types.js';

/** The FIDO Metadata Service production endpoint. */
export const FIDO_MDS_URL = 'https://mds3.fidoalliance.org/';

const ms = z.number().int().nonnegative();

const schema = z.strictObject({
  ...blobTrustOptions,
  /** Where to download BLOBs. Default `{ url: FIDO_MDS_URL }`; `false`: only `load()` and persistence. */
  source: z
    .union([
      z.literal(false),
      z.strictObject({
        url: z.url({ protocol: /^https?$/ }),
        fetch: fn<typeof fetch>().optional(),
        /** Download timeout. Default 60 s. */
        timeoutMs: ms.optional(),
      }),
    ])
    .optional(),
  /** Used for CRL downloads. Default: `source.fetch`, else global `fetch`. */
  fetch: fn<typeof fetch>().optional(),
  /** Where the last good BLOB is kept: `{ file }` (`fileBlobPersistence`) or an object with exactly
   * `load` and `save`. Default: memory only. */
  persistence: z
    .union([
      z.strictObject({ file: z.string().min(1) }),
      z.strictObject({ load: fn<BlobPersistence['load']>(), save: fn<BlobPersistence['save']>() }),
    ])
    .optional(),
  /** How long after `nextUpdate` (or the last confirmation) the data still counts as fresh. Default 7 days. */
  maxStaleness: ms.optional(),
  /** Called after every refresh attempt (exceptions are swallowed). */
  onRefresh: fn<(event: RefreshEvent) => void>().optional(),
  /** Timers, for tests: an object with exactly `setTimeout` and `clearTimeout`. Default: global timers, unref'd. */
  scheduler: z
    .strictObject({
      setTimeout: fn<Scheduler['setTimeout']>(),
      clearTimeout: fn<Scheduler['clearTimeout']>(),
    })
    .optional(),
  /** Delays between failed attempts: doubling from `minDelay` to `maxDelay` (ms). Defaults 60 s, 1 h.
   * Once `nextUpdate` has passed and FIDO still serves the same `no`, retries every `maxDelay`. */
  retry: z
    .strictObject({ minDelay: ms.min(1).optional(), maxDelay: ms.min(1).optional() })
    .refine((r) => (r.minDelay ?? 60_000) <= (r.maxDelay ?? 3_600_000), {
      message: 'maxDelay must not be below minDelay',
      path: ['maxDelay'],
    })
    .optional(),
  /** Metadata statements you trust for authenticators the BLOB does not list; the store hands them to
   * `classifyRegistration` and `reevaluate` with its BLOB. */
  localStatements: localStatementsSchema.optional(),
});

/** Options of `createMetadataStore`. */
export type MetadataStoreOptions = z.input<typeof schema>;

/** Options validated, defaults applied, roots parsed. */
export interface ResolvedStoreOptions {
  readonly trust: BlobTrust;
  readonly source:
    | { readonly url: string; readonly fetch: typeof fetch; readonly timeoutMs: number }
    | undefined;
  readonly crlFetch: typeof fetch;
  readonly persistence: BlobPersistence | undefined;
  readonly now: () => number;
  readonly revocation: 'fail-closed' | 'fail-open';
  readonly maxStaleness: number;
  readonly maxBytes: number;
  readonly onRefresh: ((event: RefreshEvent) => void) | undefined;
  readonly scheduler: Scheduler;
  readonly minDelay: number;
  readonly maxDelay: number;
  readonly localStatements: readonly LocalStatement[];
}

const DAY = 24 * 60 * 60 * 1000;

/** Validates store options (throws `ERR_CONFIG_INVALID` naming every problem) and applies defaults. */
export function resolveStoreOptions(options: MetadataStoreOptions): ResolvedStoreOptions {
  const o = parseOptions(schema, options, 'createMetadataStore');
  const source = o.source === false ? undefined : (o.source ?? { url: FIDO_MDS_URL });
  const sourceFetch = source?.fetch ?? globalThis.fetch;
  const now = o.now ?? systemClock;
  dateOf(now); // a clock of the wrong convention (returning a Date) fails at construction
  return {
    trust: resolveTrust(o.roots, o.signerCommonNames),
    source: source && { url: source.url, fetch: sourceFetch, timeoutMs: source.timeoutMs ?? 60_000 },
    crlFetch: o.fetch ?? source?.fetch ?? globalThis.fetch,
    persistence: persistenceOf(options.persistence),
    now,
    revocation: o.revocation ?? 'fail-closed',
    maxStaleness: o.maxStaleness ?? 7 * DAY,
    maxBytes: o.maxBytes ?? DEFAULT_MAX_BLOB_BYTES,
    onRefresh: o.onRefresh,
    // The caller's objects, not zod's copies: their methods may rely on `this`.
    scheduler: options.scheduler ?? systemScheduler,
    minDelay: o.retry?.minDelay ?? 60_000,
    maxDelay: o.retry?.maxDelay ?? 60 * 60 * 1000,
    localStatements: Object.freeze([...(o.localStatements ?? [])]),
  };
}

function persistenceOf(value: MetadataStoreOptions['persistence']): BlobPersistence | undefined {
  if (!value) return undefined;
  return 'file' in value ? fileBlobPersistence(value.file) : value;
}

const systemScheduler: Scheduler = {
  setTimeout(callback, delay) {
    const handle = setTimeout(callback, delay);
    handle.unref?.();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
