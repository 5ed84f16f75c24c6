import type { VerifiedBlob } from '../blob/verified-blob.js';
import { type BlobVerifyContext, type RevocationPolicy, verifyBlobWith } from '../blob/verify-core.js';
import { isMdsError, MdsError } from '../errors.js';
import { BodyTooLargeError, readLimited } from '../http.js';
import { type MetadataStoreOptions, type ResolvedStoreOptions, resolveStoreOptions } from './options.js';
import { isStale, MAX_TIMER_DELAY, nextAttemptAt } from './schedule.js';
import type { MetadataStore, RefreshEvent, StoreStatus } from './types.js';

/**
 * A metadata store (REFERENCE §4): keeps the last good BLOB, starts offline from persistence,
 * refreshes in the background by `nextUpdate` (never inside a caller's request), keeps serving
 * the last good data when a refresh fails, refuses rollbacks of `no`, and reports every attempt
 * through `onRefresh` (with the entries skipped as malformed), and carries the operator's local
 * metadata statements for `classifyRegistration` and `reevaluate`. No module-level state: create one
 * per process (or per tenant).
 *
 * Throws `ERR_CONFIG_INVALID` at construction for bad or unknown options (naming every one), unparsable
 * roots, invalid local statements, or a clock that does not return milliseconds.
 *
 * @example
 * ```ts
 * const store = createMetadataStore({ persistence: { file: '/var/lib/app/mds.jwt' }, onRefresh: (e) => log.info(e) });
 * await store.start();
 * store.lookupAaguid(aaguid);
 * ```
 */
export function createMetadataStore(options: MetadataStoreOptions = {}): MetadataStore {
  return new Store(resolveStoreOptions(options));
}

class Store implements MetadataStore {
  readonly #o: ResolvedStoreOptions;
  #current: VerifiedBlob | undefined;
  #confirmedAt: number | undefined;
  #lastRefresh: RefreshEvent | undefined;
  #inflight: Promise<RefreshEvent> | undefined;
  #failures = 0;
  #started = false;
  #timer: unknown;
  #dueAt: number | undefined;

  constructor(options: ResolvedStoreOptions) {
    this.#o = options;
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await this.#loadPersisted();
    this.#schedule(this.#o.source ? this.#plan() : undefined);
  }

  stop(): void {
    this.#started = false;
    this.#clearTimer();
  }

  async load(blob: string): Promise<VerifiedBlob> {
    const previousNo = this.#current?.no;
    const verified = await verifyBlobWith(blob, this.#context(this.#o.revocation, previousNo));
    this.#current = verified;
    this.#confirmedAt = undefined;
    const saveError = await this.#persist(blob);
    if (this.#started && this.#o.source) this.#schedule(this.#plan());
    this.#emit(this.#event('explicit', 'updated', previousNo, saveError));
    if (saveError) throw saveError;
    return verified;
  }

  refresh(): Promise<RefreshEvent> {
    this.#inflight ??= this.#refresh().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  current(): VerifiedBlob | undefined {
    return this.#current;
  }

  localStatements() {
    return this.#o.localStatements;
  }

  status(): StoreStatus {
    const current = this.#current;
    const stale = isStale({
      now: this.#o.now(),
      nextUpdate: current?.nextUpdate,
      confirmedAt: this.#confirmedAt,
      maxStaleness: this.#o.maxStaleness,
    });
    return {
      hasData: current !== undefined,
      ...(current ? { no: current.no, nextUpdate: current.nextUpdate } : {}),
      stale,
      ...(this.#lastRefresh ? { lastRefresh: this.#lastRefresh } : {}),
    };
  }

  lookupAaguid(aaguid: string) {
    return this.#current?.lookupAaguid(aaguid);
  }

  lookupAaid(aaid: string) {
    return this.#current?.lookupAaid(aaid);
  }

  lookupKeyId(hex: string) {
    return this.#current?.lookupKeyId(hex);
  }

  async #refresh(): Promise<RefreshEvent> {
    const previousNo = this.#current?.no;
    const source = this.#o.source;
    if (!source) {
      const error = new MdsError('ERR_NO_SOURCE', 'this store has no source to refresh from');
      return this.#emit(this.#event('network', 'failed', previousNo, error));
    }
    let outcome: RefreshEvent['outcome'] = 'failed';
    let error: MdsError | undefined;
    try {
      const raw = await this.#download(source);
      const verified = await verifyBlobWith(raw, this.#context(this.#o.revocation, undefined));
      outcome = this.#adoptDownloaded(verified);
      if (outcome === 'updated') error = await this.#persist(raw);
    } catch (cause) {
      error = isMdsError(cause) ? cause : new MdsError('ERR_FETCH_FAILED', 'refresh failed', { cause });
    }
    this.#failures = outcome === 'failed' ? this.#failures + 1 : 0;
    if (this.#started) this.#schedule(this.#plan(true));
    return this.#emit(this.#event('network', outcome, previousNo, error));
  }

  /** Adopts a verified download with a greater `no`; the same `no` confirms; a lower one is a rollback. */
  #adoptDownloaded(verified: VerifiedBlob): 'updated' | 'unchanged' {
    const current = this.#current;
    if (current && verified.no < current.no) {
      throw new MdsError('ERR_BLOB_ROLLBACK', `BLOB no ${verified.no} is lower than ${current.no}`, {
        details: { no: verified.no, minNo: current.no },
      });
    }
    this.#confirmedAt = this.#o.now();
    if (current && verified.no === current.no) return 'unchanged';
    this.#current = verified;
    return 'updated';
  }

  async #download(source: NonNullable<ResolvedStoreOptions['source']>): Promise<string> {
    let response: Response;
    try {
      response = await source.fetch(source.url, {
        headers: { accept: 'application/jwt, application/octet-stream, text/plain, */*' },
        signal: AbortSignal.timeout(source.timeoutMs),
      });
    } catch (cause) {
      throw new MdsError('ERR_FETCH_FAILED', 'BLOB download failed', {
        details: { reason: 'network' },
        cause,
      });
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new MdsError('ERR_FETCH_FAILED', `BLOB download answered ${response.status}`, {
        details: { reason: 'http_status' },
      });
    }
    try {
      return new TextDecoder().decode(await readLimited(response, this.#o.maxBytes));
    } catch (cause) {
      if (cause instanceof BodyTooLargeError) {
        throw new MdsError('ERR_BLOB_TOO_LARGE', cause.message, {
          details: { maxBytes: this.#o.maxBytes },
          cause,
        });
      }
      throw new MdsError('ERR_FETCH_FAILED', 'BLOB download failed', {
        details: { reason: 'network' },
        cause,
      });
    }
  }

  async #loadPersisted(): Promise<void> {
    const persistence = this.#o.persistence;
    if (!persistence) return;
    const previousNo = this.#current?.no;
    try {
      const raw = await persistence.load();
      if (raw === null) return;
      // Its CRLs were checked when it was adopted; re-reading it must work offline.
      const verified = await verifyBlobWith(raw, this.#context('skip', undefined));
      if (this.#current && verified.no <= this.#current.no) return;
      this.#current = verified;
      this.#emit(this.#event('persisted', 'updated', previousNo));
    } catch (cause) {
      const error = isMdsError(cause)
        ? cause
        : new MdsError('ERR_PERSISTENCE_FAILED', 'persisted BLOB could not be read', { cause });
      this.#emit(this.#event('persisted', 'failed', previousNo, error));
    }
  }

  async #persist(raw: string): Promise<MdsError | undefined> {
    try {
      await this.#o.persistence?.save(raw);
      return undefined;
    } catch (cause) {
      return new MdsError('ERR_PERSISTENCE_FAILED', 'adopted BLOB could not be saved', { cause });
    }
  }

  #context(revocation: RevocationPolicy, minNo: number | undefined): BlobVerifyContext {
    const o = this.#o;
    return {
      trust: o.trust,
      now: new Date(o.now()),
      fetch: o.crlFetch,
      revocation,
      minNo,
      maxBytes: o.maxBytes,
      crls: undefined,
    };
  }

  #plan(justAsked = false): number {
    const { now, minDelay, maxDelay } = this.#o;
    const nextUpdate = this.#current?.nextUpdate;
    return nextAttemptAt({
      now: now(),
      failures: this.#failures,
      nextUpdate,
      justAsked,
      minDelay,
      maxDelay,
    });
  }

  #schedule(dueAt: number | undefined): void {
    this.#clearTimer();
    this.#dueAt = dueAt;
    if (dueAt === undefined) return;
    const delay = Math.min(MAX_TIMER_DELAY, Math.max(0, dueAt - this.#o.now()));
    this.#timer = this.#o.scheduler.setTimeout(() => this.#tick(dueAt), delay);
  }

  #tick(dueAt: number): void {
    this.#timer = undefined;
    if (!this.#started) return;
    if (this.#o.now() < dueAt) {
      this.#schedule(dueAt);
      return;
    }
    void this.refresh();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#o.scheduler.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #event(
    source: RefreshEvent['source'],
    outcome: RefreshEvent['outcome'],
    previousNo: number | undefined,
    error?: MdsError,
  ): RefreshEvent {
    const current = this.#current;
    return {
      source,
      outcome,
      at: new Date(this.#o.now()).toISOString(),
      ...(current ? { no: current.no, nextUpdate: current.nextUpdate } : {}),
      ...(previousNo === undefined ? {} : { previousNo }),
      ...(error ? { error: { code: error.code, message: error.message } } : {}),
      ...(outcome === 'updated' && current && current.skippedEntries.length > 0
        ? { skippedEntries: current.skippedEntries }
        : {}),
      ...(this.#dueAt !== undefined && this.#started
        ? { nextAttemptAt: new Date(this.#dueAt).toISOString() }
        : {}),
    };
  }

  #emit(event: RefreshEvent): RefreshEvent {
    this.#lastRefresh = event;
    try {
      this.#o.onRefresh?.(event);
    } catch {
      // A failing hook must not break the store.
    }
    return event;
  }
}
