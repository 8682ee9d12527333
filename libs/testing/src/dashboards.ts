import { createRealtimeClient, type PositionStorage, type RealtimeClient } from '@retail/realtime-client';
import { EVENTS, type NamespaceKey, type RealtimeEnvelope } from '@retail/realtime-protocol';

/** A dashboard on the client library, recording every event it delivers, in delivery order. */
export interface Dashboard {
  client: RealtimeClient;
  delivered: RealtimeEnvelope[];
  /** Sale ids delivered, in order. */
  sales(): string[];
  /** Offsets of the delivered events of `room`, in delivery order. */
  offsets(room: string): number[];
}

export function openDashboard(
  url: string,
  namespace: NamespaceKey,
  token: string,
  options: { storage?: PositionStorage; transports?: string[] } = {},
): Dashboard {
  const delivered: RealtimeEnvelope[] = [];
  const client = createRealtimeClient({
    url,
    namespace,
    getToken: () => token,
    transports: options.transports ?? ['websocket'],
    storage: options.storage,
    onEvent: (envelope) => delivered.push(envelope),
    onError: () => undefined,
  });
  return {
    client,
    delivered,
    sales: () => delivered.filter((e) => e.type === EVENTS.posSaleCompleted.name).map((e) => (e.data as { saleId: string }).saleId),
    offsets: (room) => delivered.filter((e) => e.positions?.[room]).map((e) => Number(e.positions![room].offset)),
  };
}

/** True when `offsets` are consecutive integers: every event of the room, in room order, none twice. */
export const consecutive = (offsets: number[]) => offsets.every((o, i) => i === 0 || o === offsets[i - 1] + 1);
