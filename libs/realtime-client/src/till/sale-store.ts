import type { TillSale } from '@retail/realtime-protocol';

/** The server's answer to a sale it would not store, kept with the sale until an operator acts on it. */
export interface SaleFailure {
  status: 'conflict' | 'rejected';
  error: { code: string; message: string };
}

/** A sale a store holds: pending (still to upload) or, with its failure, failed. */
export interface QueuedSale {
  sale: TillSale;
  failure?: SaleFailure;
}

/**
 * Where a till's sales wait until the server has them: the sale queue's memory across crashes and
 * restarts. `openFileSaleStore` (from `@retail/realtime-client/node`) is one on a file; a browser app
 * can write one on IndexedDB:
 *
 * - one object store keyed by sale id, plus an index on an auto-incremented counter for the order;
 * - every write in a `readwrite` transaction opened with `{ durability: 'strict' }`, resolving on its
 *   `complete` event (not on the request's `success`, which comes before the data is safe);
 * - `navigator.locks.request(name, { mode: 'exclusive', ifAvailable: true }, …)` held for as long as
 *   the store is open, so a second tab never drains the same sales.
 *
 * Writes are applied in the order they are called. Only one queue may use a store at a time.
 */
export interface SaleStore {
  /** Every sale held, pending and failed, in the order they were appended. */
  load(): Promise<QueuedSale[]>;
  /**
   * Adds a pending sale after the others. Must resolve only once the sale would survive a crash or a
   * power cut: the queue tells the till the sale is safe when this resolves.
   */
  append(sale: TillSale): Promise<void>;
  /**
   * Forgets sales: the server has them, or an operator dropped them. Ids not held are ignored. A
   * removal lost in a crash only sends the sale again, which the server answers `duplicate`.
   */
  remove(ids: readonly string[]): Promise<void>;
  /** Keeps a sale as failed, with the server's answer, until markPending or remove. Ids not held are ignored. */
  markFailed(id: string, failure: SaleFailure): Promise<void>;
  /** A failed sale pending again, in its place in the order. Ids not held are ignored. */
  markPending(id: string): Promise<void>;
  /** Waits for the writes already called, then releases the storage (and its lock). */
  close(): Promise<void>;
}

/** A SaleStore in memory: it forgets everything when the process ends, so for tests and demos only. */
export function memorySaleStore(): SaleStore {
  const sales = new Map<string, QueuedSale>();
  const update = (id: string, failure?: SaleFailure) => {
    const held = sales.get(id);
    if (held) sales.set(id, failure ? { sale: held.sale, failure } : { sale: held.sale });
  };
  return {
    load: async () => [...sales.values()],
    append: async (sale) => void sales.set(sale.id, { sale }),
    remove: async (ids) => ids.forEach((id) => sales.delete(id)),
    markFailed: async (id, failure) => update(id, failure),
    markPending: async (id) => update(id),
    close: async () => {},
  };
}
