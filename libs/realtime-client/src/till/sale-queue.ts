import { TILL_SALE_LIMITS, TillSale, type SaleSyncResult } from '@retail/realtime-protocol';
import { RealtimeClientError } from '../errors.js';
import { retryDelayMs } from './retry-delay.js';
import { uploadSales, type UploadAnswer } from './sale-upload.js';
import type { QueuedSale, SaleFailure, SaleStore } from './sale-store.js';

export interface SaleQueueOptions {
  /** The server's origin, e.g. `https://api.example.com`; sales go to `POST {url}/pos/sales/sync`. */
  url: string;
  /** Called before every upload, and again after a 401: return a valid token, a fresh one when the last is close to expiry. */
  getToken: () => string | Promise<string>;
  /** Where sales wait. The guarantees hold only with a durable one (openFileSaleStore, IndexedDB), which must not be shared. */
  store: SaleStore;
  /** Every uploaded sale's outcome, accepted and duplicate included, once the store has recorded it. */
  onResult?: (result: SaleSyncResult) => void;
  /** Problems the queue works around or needs an operator for (sync_failed, sync_refused, sale_refused, storage_failed, handler_failed); defaults to console.error. */
  onError?: (error: RealtimeClientError) => void;
  /** Sales per upload (default and at most TILL_SALE_LIMITS.salesPerSync). */
  batchSize?: number;
  /** Wait before the next attempt after a failed upload: jittered, doubling from min to max (default 1 s to 60 s). */
  retryDelayMs?: { min: number; max: number };
  /** How long one upload may take, answer included (default 30 s). */
  requestTimeoutMs?: number;
  /** Default: globalThis.fetch. */
  fetch?: typeof globalThis.fetch;
  /** Upload without being asked: after each add() and retry(), at start for sales left from the last run, and after failures with backoff (default true). */
  autoSync?: boolean;
}

/** What one sync() did: how many sales got each answer, and how many are still pending after it. */
export interface SyncReport {
  accepted: number;
  duplicate: number;
  conflict: number;
  rejected: number;
  pending: number;
}

/** A sale the server would not store, with its answer. */
export interface FailedSale {
  sale: TillSale;
  failure: SaleFailure;
}

/**
 * A till's sales, made offline or on, uploaded to the server in the order they were made.
 *
 * Guarantees, given a durable store:
 * - a sale is stored locally before anything is sent: add() resolves once it is, and only stored
 *   sales are uploaded;
 * - a crash at any point never loses a stored sale: the queue forgets a sale only once the server
 *   answered `accepted` or `duplicate` for it (or an operator discarded it);
 * - a sale is never uploaded as two sales: it keeps its id however often it is sent (after a timeout,
 *   a lost answer, a crash before the answer was recorded), and the server stores an id once.
 *
 * A sale the server answers `conflict` or `rejected` for is kept as failed, never sent again by
 * itself: an operator looks at failed() and decides, with retry() or discard().
 */
export interface SaleQueue {
  /**
   * Validates the sale (throws on an invalid one: a bug of the till) and stores it; resolves once it
   * is stored. An id already queued with the same content is a no-op; with other content, it throws.
   */
  add(sale: TillSale): Promise<void>;
  /**
   * Uploads the pending sales, oldest first, in batches, until none is left or an upload fails; one
   * sync at a time (a call while one runs gets the same promise). Sends now, whatever the backoff.
   * Rejects only when the store could not be loaded or the queue is closed.
   */
  sync(): Promise<SyncReport>;
  /** The sales still to upload, oldest first. */
  pending(): Promise<TillSale[]>;
  /** The sales the server would not store, with its answers. */
  failed(): Promise<FailedSale[]>;
  /** A failed sale back to pending, in its place in the order (e.g. after a fix on the server). */
  retry(id: string): Promise<void>;
  /** Drops a failed sale for good: an operator's decision. */
  discard(id: string): Promise<void>;
  /** Stops uploading, waits for the running sync and the writes under way, and closes the store. */
  close(): Promise<void>;
}

/** Queues a till's sales in a store and uploads them to the server; see SaleQueue for its guarantees. */
export function createSaleQueue(options: SaleQueueOptions): SaleQueue {
  return new StoredSaleQueue(options);
}

class StoredSaleQueue implements SaleQueue {
  /** What the store holds, in the order added: a Map keeps its keys' first insertion order. */
  private readonly sales = new Map<string, QueuedSale>();
  private readonly loaded: Promise<void>;
  private readonly batchSize: number;
  private readonly endpoint: string;
  private readonly fetch: typeof globalThis.fetch;
  /** add, retry and discard, one after the other, so a duplicate check and its write are never split. */
  private writing: Promise<unknown> = Promise.resolve();
  private running: Promise<SyncReport> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Failed uploads in a row, for the backoff. */
  private failedUploads = 0;
  private closed = false;

  constructor(private readonly options: SaleQueueOptions) {
    this.batchSize = options.batchSize ?? TILL_SALE_LIMITS.salesPerSync;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > TILL_SALE_LIMITS.salesPerSync) {
      throw new RangeError(`batchSize must be an integer from 1 to ${TILL_SALE_LIMITS.salesPerSync}`);
    }
    this.endpoint = `${options.url.replace(/\/+$/, '')}/pos/sales/sync`;
    // Called through globalThis: a browser's fetch throws when called on another object.
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.loaded = options.store.load().then((held) => {
      for (const queued of held) this.sales.set(queued.sale.id, queued);
    });
    // Sales left from the last run go out as soon as they are loaded.
    this.loaded.then(
      () => this.syncSoon(),
      (error) => this.report(new RealtimeClientError('storage_failed', 'could not load the queued sales', undefined, { cause: error })),
    );
  }

  async add(input: TillSale): Promise<void> {
    // Parsed, not just checked: ids are lower-cased, as the server answers them.
    const sale = TillSale.parse(input);
    return this.serially(async () => {
      const held = this.sales.get(sale.id);
      if (held) {
        if (canonicalJson(held.sale) !== canonicalJson(sale)) throw new Error(`sale ${sale.id} is already queued with other content`);
        return;
      }
      await this.options.store.append(sale);
      this.sales.set(sale.id, { sale });
      this.syncSoon();
    });
  }

  sync(): Promise<SyncReport> {
    if (this.closed) return Promise.reject(new Error('the sale queue is closed'));
    // round() awaits before it can end, so `running` is set here before its finally clears it.
    return (this.running ??= this.round());
  }

  async pending(): Promise<TillSale[]> {
    await this.loaded;
    return [...this.sales.values()].flatMap(({ sale, failure }) => (failure ? [] : [sale]));
  }

  async failed(): Promise<FailedSale[]> {
    await this.loaded;
    return [...this.sales.values()].flatMap(({ sale, failure }) => (failure ? [{ sale, failure }] : []));
  }

  retry(id: string): Promise<void> {
    return this.serially(async () => {
      const sale = this.failedSale(id);
      await this.options.store.markPending(id);
      this.sales.set(id, { sale });
      this.syncSoon();
    });
  }

  discard(id: string): Promise<void> {
    return this.serially(async () => {
      this.failedSale(id);
      await this.options.store.remove([id]);
      this.sales.delete(id);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    await Promise.allSettled([this.loaded, this.writing, this.running]);
    await this.options.store.close();
  }

  /** Runs after the store is loaded and after the writes called before it. */
  private serially<T>(write: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the sale queue is closed'));
    const done = Promise.all([this.loaded, this.writing]).then(write);
    this.writing = done.catch(() => {});
    return done;
  }

  private failedSale(id: string): TillSale {
    const held = this.sales.get(id);
    if (!held?.failure) throw new Error(`sale ${id} is not a failed sale`);
    return held.sale;
  }

  /** Starts a sync, unless told not to or a backoff is running (its timer will). A running sync sends what is pending when it looks next. */
  private syncSoon(): void {
    if (this.options.autoSync === false || this.closed || this.retryTimer || this.running) return;
    void this.sync();
  }

  private async round(): Promise<SyncReport> {
    const report: SyncReport = { accepted: 0, duplicate: 0, conflict: 0, rejected: 0, pending: 0 };
    try {
      await this.loaded;
      for (let batch = this.nextBatch(); batch.length && !this.closed; batch = this.nextBatch()) {
        const answer = await this.upload(batch);
        if (answer.kind !== 'results') {
          this.stopAfter(answer);
          return this.finish(report);
        }
        this.failedUploads = 0;
        try {
          await this.settle(batch, answer.results, report);
        } catch (error) {
          // Unsettled sales stay pending and go again: the server answers duplicate for those it has.
          this.report(new RealtimeClientError('storage_failed', 'could not record the upload results', undefined, { cause: error }));
          this.retryLater();
          return this.finish(report);
        }
      }
      this.cancelRetry();
      return this.finish(report);
    } finally {
      // In the same step as the last look for pending sales: a sale added after that look starts a new sync.
      this.running = undefined;
    }
  }

  private nextBatch(): TillSale[] {
    const batch: TillSale[] = [];
    for (const { sale, failure } of this.sales.values()) {
      if (batch.length === this.batchSize) break;
      if (!failure) batch.push(sale);
    }
    return batch;
  }

  private async upload(sales: TillSale[]): Promise<UploadAnswer> {
    const answer = await this.post(sales);
    // A 401 is an expired or revoked token: getToken() is asked once more, for a fresh one.
    return answer.kind === 'retry' && answer.problem.status === 401 ? this.post(sales) : answer;
  }

  private async post(sales: TillSale[]): Promise<UploadAnswer> {
    let token: string;
    try {
      token = await this.options.getToken();
    } catch (error) {
      return { kind: 'retry', problem: { code: 'token_failed', message: 'getToken() failed' }, cause: error };
    }
    const timeoutMs = this.options.requestTimeoutMs ?? 30_000;
    return uploadSales({ fetch: this.fetch, endpoint: this.endpoint, token, sales, timeoutMs });
  }

  /** Stores what the server said of each sale (results[i] is batch[i]'s), then tells the app, in the order sent. */
  private async settle(batch: TillSale[], results: SaleSyncResult[], report: SyncReport): Promise<void> {
    const failures = results.map(failureOf);
    await this.options.store.remove(batch.filter((_, i) => !failures[i]).map((sale) => sale.id));
    for (const [i, failure] of failures.entries()) if (failure) await this.options.store.markFailed(batch[i].id, failure);
    for (const [i, sale] of batch.entries()) {
      const result = results[i];
      const failure = failures[i];
      if (failure) {
        this.sales.set(sale.id, { sale, failure });
        this.report(new RealtimeClientError('sale_refused', `sale ${sale.id} ${failure.status}: ${failure.error.message}`, result));
      } else {
        this.sales.delete(sale.id);
      }
      report[result.status]++;
      try {
        this.options.onResult?.(result);
      } catch (error) {
        this.report(new RealtimeClientError('handler_failed', 'onResult threw', { id: sale.id }, { cause: error }));
      }
    }
  }

  private stopAfter(answer: Exclude<UploadAnswer, { kind: 'results' }>): void {
    const { problem } = answer;
    if (answer.kind === 'refused') {
      // Sent again as it is, it would be refused again: no timer, the next add() or sync() tries.
      this.cancelRetry();
      this.report(new RealtimeClientError('sync_refused', `upload refused: ${problem.code}: ${problem.message}`, problem));
      return;
    }
    const retryInMs = this.retryLater(answer.retryAfterMs);
    this.report(
      new RealtimeClientError(
        'sync_failed',
        `upload failed: ${problem.code}: ${problem.message}; next attempt in ${retryInMs} ms`,
        { ...problem, retryInMs },
        { cause: answer.cause },
      ),
    );
  }

  /** Schedules the next attempt with backoff, never sooner than the server asked; returns its delay. */
  private retryLater(notBeforeMs = 0): number {
    const delay = Math.max(notBeforeMs, retryDelayMs(this.failedUploads++, this.options.retryDelayMs ?? { min: 1_000, max: 60_000 }));
    this.cancelRetry();
    if (this.options.autoSync !== false && !this.closed) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.syncSoon();
      }, delay);
    }
    return delay;
  }

  private cancelRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private finish(report: SyncReport): SyncReport {
    report.pending = [...this.sales.values()].filter((queued) => !queued.failure).length;
    return report;
  }

  private report(error: RealtimeClientError): void {
    (this.options.onError ?? console.error)(error);
  }
}

/** The server's answer as kept with a failed sale; undefined when it stored the sale. */
function failureOf(result: SaleSyncResult): SaleFailure | undefined {
  if (result.status !== 'conflict' && result.status !== 'rejected') return undefined;
  return {
    status: result.status,
    error: result.error ?? { code: result.status === 'conflict' ? 'sale_conflict' : 'sale_rejected', message: result.status },
  };
}

/** JSON with object keys sorted, so the same sale compares equal however its keys were ordered. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) =>
    field && typeof field === 'object' && !Array.isArray(field)
      ? Object.fromEntries(Object.entries(field).sort(([a], [b]) => (a < b ? -1 : 1)))
      : field,
  );
}
