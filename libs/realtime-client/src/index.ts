/** @retail/realtime-client: delivers a namespace's events in room order, once per event id. */
/** The socket-free core: positions per room, dedupe, gaps held and resumed. */
export { StreamTracker, type StreamTrackerOptions, type TrackedEvent, type TrackerOutcome } from './stream-tracker.js';
