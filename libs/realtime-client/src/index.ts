/**
 * @retail/realtime-client: one namespace of the realtime server, delivered in room order and once
 * per event id, across reconnects, replica changes and restarts.
 *
 * ```ts
 * const client = createRealtimeClient({ url, namespace: 'pos', getToken, storage, onReset: reloadRoom });
 * client.on(EVENTS.posSaleCompleted.name, (sale) => render(sale.data));
 * await client.subscribe(Rooms.workspace(storeId));
 * ```
 *
 * Every (re)connect resumes each tracked room from its position in the handshake; a gap seen while
 * connected resumes that room in-band; a room that cannot be replayed calls `onReset`.
 *
 * A till sells offline through a sale queue: each sale is stored before anything is sent, then
 * uploaded in order, once, whenever the server can be reached (`openFileSaleStore` is in
 * `@retail/realtime-client/node`; a browser brings a SaleStore on IndexedDB):
 *
 * ```ts
 * const sales = createSaleQueue({ url, getToken, store: await openFileSaleStore('data/sales.jsonl') });
 * await sales.add({ id: uuidv7(), occurredAt: new Date().toISOString(), lines, payments });
 * ```
 */
export {
  createRealtimeClient,
  type EnvelopeOf,
  type PositionStorage,
  type RealtimeClient,
  type RealtimeClientOptions,
} from './realtime-client.js';
export { RealtimeClientError, type RealtimeClientErrorCode } from './errors.js';
/** The socket-free core, for callers that bring their own transport. */
export { StreamTracker, type StreamTrackerOptions, type TrackedEvent, type TrackerOutcome } from './stream-tracker.js';
/** A till's sales, stored first and uploaded when the server can be reached. */
export { createSaleQueue, type FailedSale, type SaleQueue, type SaleQueueOptions, type SyncReport } from './till/sale-queue.js';
export { memorySaleStore, type QueuedSale, type SaleFailure, type SaleStore } from './till/sale-store.js';
