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
