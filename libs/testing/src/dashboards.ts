import { createRealtimeClient, type RealtimeClient, type RealtimeClientError, type RealtimeClientOptions } from '@retail/realtime-client';
import { EVENTS, type NamespaceKey, type RealtimeEnvelope } from '@retail/realtime-protocol';

/** A dashboard on the client library, recording every event it delivers, in delivery order. */
export interface Dashboard {
  client: RealtimeClient;
  delivered: RealtimeEnvelope[];
  /** Everything the client reported (reconnects, refusals), in order. */
  errors: RealtimeClientError[];
  /** Sale ids delivered, in order. */
  sales(): string[];
  /** Offsets of the delivered events of `room`, in delivery order. */
  offsets(room: string): number[];
}

/** `token`: one token for the whole run, or the client's getToken (for tokens that are refreshed). */
export function openDashboard(url: string, namespace: NamespaceKey, token: string | RealtimeClientOptions['getToken']): Dashboard {
  const delivered: RealtimeEnvelope[] = [];
  const errors: RealtimeClientError[] = [];
  const client = createRealtimeClient({
    url,
    namespace,
    getToken: typeof token === 'string' ? () => token : token,
    transports: ['websocket'],
    onEvent: (envelope) => delivered.push(envelope),
    onError: (error) => errors.push(error),
  });
  return {
    client,
    delivered,
    errors,
    sales: () => delivered.filter((e) => e.type === EVENTS.posSaleCompleted.name).map((e) => (e.data as { saleId: string }).saleId),
    offsets: (room) => delivered.filter((e) => e.positions?.[room]).map((e) => Number(e.positions![room].offset)),
  };
}

/** True when `offsets` are consecutive integers: every event of the room, in room order, none twice. */
export const consecutive = (offsets: number[]) => offsets.every((o, i) => i === 0 || o === offsets[i - 1] + 1);
