import { v7 as uuidv7 } from 'uuid';
import { EVENTS, type EventKey, type EventName, type EventPayload } from './catalog.js';

/**
 * What every server event looks like on the wire. `id` is a UUIDv7 (time-ordered), created once
 * and kept wherever the event is delivered, so clients can dedupe and, later, resume from it.
 */
export interface RealtimeEnvelope<K extends EventKey = EventKey> {
  id: string;
  type: EventName;
  occurredAt: string;
  companyId: string;
  workspaceId?: string;
  data: EventPayload<K>;
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
