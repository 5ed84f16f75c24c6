import type { MetadataEntry, SkippedEntry } from '../blob/schema.js';
import type { VerifiedBlob } from '../blob/verified-blob.js';
import type { LocalStatement } from '../classify/local-statements.js';
import type { MdsErrorCode } from '../errors.js';

/** Where the last good BLOB is kept between restarts. */
export interface BlobPersistence {
  /** The saved BLOB, or `null` when none was saved. */
  load(): Promise<string | null>;
  save(blob: string): Promise<void>;
}

/** Timers, injectable for tests. Default: the global `setTimeout`/`clearTimeout`, unref'd. */
export interface Scheduler {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What happened on one attempt to obtain a BLOB. */
export interface RefreshEvent {
  /** `network`: downloaded from `source.url`; `persisted`: read at `start()`; `explicit`: `load()`. */
  readonly source: 'network' | 'persisted' | 'explicit';
  /** `updated`: a BLOB with a greater `no` was adopted; `unchanged`: the same `no` was served
   * again (verified; confirms the data is current); `failed`: nothing adopted, see `error`. */
  readonly outcome: 'updated' | 'unchanged' | 'failed';
  /** ISO time of the attempt (the store's clock). */
  readonly at: string;
  /** `no` of the BLOB in use after the attempt. */
  readonly no?: number;
  readonly previousNo?: number;
  readonly nextUpdate?: string;
  readonly error?: { readonly code: MdsErrorCode; readonly message: string };
  /** For `updated`: the adopted BLOB's entries that did not validate and were left out (index, path, reason). */
  readonly skippedEntries?: readonly SkippedEntry[];
  /** ISO time of the next scheduled refresh, when one is scheduled. */
  readonly nextAttemptAt?: string;
}

/** A snapshot of a store's state. */
export interface StoreStatus {
  readonly hasData: boolean;
  readonly no?: number;
  readonly nextUpdate?: string;
  /** `true` without data, or once `nextUpdate` (or the last `unchanged` confirmation, if later)
   * is older than `maxStaleness`. */
  readonly stale: boolean;
  readonly lastRefresh?: RefreshEvent;
}

/**
 * The last good BLOB, kept fresh in the background. Lookups are synchronous, in memory, O(1).
 */
export interface MetadataStore {
  /** Loads the persisted BLOB (offline: its CRLs were checked when it was adopted) and schedules
   * background refreshes by `nextUpdate`. Never throws for network or persistence failures. */
  start(): Promise<void>;
  /** Cancels scheduled refreshes. An in-flight refresh completes but schedules nothing. */
  stop(): void;
  /** Verifies a BLOB and adopts it; refuses (`ERR_BLOB_ROLLBACK`) a `no` not greater than the
   * current one. Persists it; a persistence failure throws `ERR_PERSISTENCE_FAILED` after adoption. */
  load(blob: string): Promise<VerifiedBlob>;
  /** Downloads, verifies and adopts a newer BLOB now. Never throws: the outcome is in the event. */
  refresh(): Promise<RefreshEvent>;
  current(): VerifiedBlob | undefined;
  /** The local metadata statements given at construction (validated). */
  localStatements(): readonly LocalStatement[];
  status(): StoreStatus;
  lookupAaguid(aaguid: string): MetadataEntry | undefined;
  lookupAaid(aaid: string): MetadataEntry | undefined;
  lookupKeyId(hex: string): MetadataEntry | undefined;
}
