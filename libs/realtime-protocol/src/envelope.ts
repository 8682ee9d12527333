import { v7 as uuidv7 } from 'uuid';
import { EVENTS, type EventKey, type EventName, type EventPayload } from './catalog.js';
import type { RoomPositions } from './schemas/streams.js';

/**
 * What every server event looks like on the wire. `id` is a UUIDv7 (time-ordered), created once
 * and kept wherever and however often the event is delivered, so clients can dedupe by it.
 * A stream event also carries its position in every room it was published to.
 */
export interface RealtimeEnvelope<K extends EventKey = EventKey> {
  id: string;
  type: EventName;
  occurredAt: string;
  companyId: string;
  workspaceId?: string;
  data: EventPayload<K>;
  positions?: RoomPositions;
}

export function createEnvelope<K extends EventKey>(
  key: K,
  scope: { companyId: string; workspaceId?: string },
  data: EventPayload<K>,
): RealtimeEnvelope<K> {
  return {
    id: uuidv7(),
    type: EVENTS[key].name,
    occurredAt: new Date().toISOString(),
    companyId: scope.companyId,
    ...(scope.workspaceId ? { workspaceId: scope.workspaceId } : {}),
    data,
  };
}
