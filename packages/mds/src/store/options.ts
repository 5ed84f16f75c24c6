import { z } from 'zod';
import { DEFAULT_MAX_BLOB_BYTES } from '../blob/verify-core.js';
import { fn, parseOptions, parseRoots, revocationSchema, systemClock } from '../options.js';
import type { X509Certificate } from '../pki/certificates.js';
import { fileBlobPersistence } from './file-persistence.js';
import type { BlobPersistence, RefreshEvent, Scheduler } from './types.js';

/** The FIDO Metadata Service production endpoint. */
export const FIDO_MDS_URL = 'https://mds3.fidoalliance.org/';

/** Options of `createMetadataStore`. */
export interface MetadataStoreOptions {
  /** Trust anchors (PEM or base64 DER). Default: the bundled FIDO production root. */
  roots?: string[];
  /** Where to download BLOBs. Default `{ url: FIDO_MDS_URL }`; `false`: only `load()` and persistence. */
  source?: { url: string; fetch?: typeof fetch; timeoutMs?: number } | false;
  /** Used for CRL downloads. Default: `source.fetch`, else global `fetch`. */
  fetch?: typeof fetch;
  /** Where the last good BLOB is kept. `{ file }` uses `fileBlobPersistence`. Default: memory only. */
  persistence?: BlobPersistence | { file: string };
  now?: () => Date;
  /** CRL failure policy for downloaded and loaded BLOBs. Default `fail-closed`. */
  revocation?: 'fail-closed' | 'fail-open';
  /** How long after `nextUpdate` (or the last confirmation) the data still counts as fresh. Default 7 days. */
  maxStaleness?: number;
  /** BLOB size bound in bytes. Default 64 MiB. */
  maxBytes?: number;
  /** Called after every refresh attempt (exceptions are swallowed). */
  onRefresh?: (event: RefreshEvent) => void;
  scheduler?: Scheduler;
  /** Delays between failed attempts: doubling from `minDelay` to `maxDelay` (ms). Defaults 60 s, 1 h.
   * Once `nextUpdate` has passed and FIDO still serves the same `no`, retries every `maxDelay`. */
  retry?: { minDelay?: number; maxDelay?: number };
}

/** Options validated, defaults applied, roots parsed. */
export interface ResolvedStoreOptions {
  readonly anchors: readonly X509Certificate[];
  readonly source:
    | { readonly url: string; readonly fetch: typeof fetch; readonly timeoutMs: number }
    | undefined;
  readonly crlFetch: typeof fetch;
  readonly persistence: BlobPersistence | undefined;
  readonly now: () => Date;
  readonly revocation: 'fail-closed' | 'fail-open';
  readonly maxStaleness: number;
  readonly maxBytes: number;
  readonly onRefresh: ((event: RefreshEvent) => void) | undefined;
  readonly scheduler: Scheduler;
  readonly minDelay: number;
  readonly maxDelay: number;
}

const ms = z.number().int().nonnegative();
const persistenceSchema = z.union([
  z.object({ file: z.string().min(1) }),
  z.object({ load: fn<BlobPersistence['load']>(), save: fn<BlobPersistence['save']>() }),
]);
const schema = z.object({
  roots: z.array(z.string()).min(1).optional(),
  source: z
    .union([
      z.literal(false),
      z.object({
        url: z.url({ protocol: /^https?$/ }),
        fetch: fn<typeof fetch>().optional(),
        timeoutMs: ms.optional(),
      }),
    ])
    .optional(),
  fetch: fn<typeof fetch>().optional(),
  persistence: persistenceSchema.optional(),
  now: fn<() => Date>().optional(),
  revocation: revocationSchema.optional(),
  maxStaleness: ms.optional(),
  maxBytes: z.number().int().positive().optional(),
  onRefresh: fn<(event: RefreshEvent) => void>().optional(),
  scheduler: z
    .object({ setTimeout: fn<Scheduler['setTimeout']>(), clearTimeout: fn<Scheduler['clearTimeout']>() })
    .optional(),
  retry: z.object({ minDelay: ms.min(1).optional(), maxDelay: ms.min(1).optional() }).optional(),
});

const DAY = 24 * 60 * 60 * 1000;

/** Validates store options (throws `ERR_CONFIG_INVALID`) and applies defaults. */
export function resolveStoreOptions(options: MetadataStoreOptions): ResolvedStoreOptions {
  const o = parseOptions(schema, options, 'createMetadataStore');
  const source = o.source === false ? undefined : (o.source ?? { url: FIDO_MDS_URL });
  const sourceFetch = source?.fetch ?? globalThis.fetch;
  const minDelay = o.retry?.minDelay ?? 60_000;
  return {
    anchors: parseRoots(o.roots),
    source: source && { url: source.url, fetch: sourceFetch, timeoutMs: source.timeoutMs ?? 60_000 },
    crlFetch: o.fetch ?? source?.fetch ?? globalThis.fetch,
    persistence: persistenceOf(options.persistence),
    now: o.now ?? systemClock,
    revocation: o.revocation ?? 'fail-closed',
    maxStaleness: o.maxStaleness ?? 7 * DAY,
    maxBytes: o.maxBytes ?? DEFAULT_MAX_BLOB_BYTES,
    onRefresh: o.onRefresh,
    // The caller's objects, not zod's copies: their methods may rely on `this`.
    scheduler: options.scheduler ?? systemScheduler,
    minDelay,
    maxDelay: Math.max(minDelay, o.retry?.maxDelay ?? 60 * 60 * 1000),
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
