import {
  createRealtimeClient,
  type PositionStorage,
  type RealtimeClient,
  type RealtimeClientError,
  type RealtimeClientOptions,
} from '@retail/realtime-client';
import { EVENTS, type NamespaceKey, type RealtimeEnvelope } from '@retail/realtime-protocol';
import { sleep } from './clients.js';

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
  /** Every session the server ended (`session.ended`), with why and when it was received. */
  ended: Array<{ code: string; at: number }>;
}

/** `token`: one token for the whole run, or the client's getToken (for tokens that are refreshed). */
export function openDashboard(
  url: string,
  namespace: NamespaceKey,
  token: string | RealtimeClientOptions['getToken'],
  options: { storage?: PositionStorage; transports?: string[] } = {},
): Dashboard {
  const delivered: RealtimeEnvelope[] = [];
  const errors: RealtimeClientError[] = [];
  const ended: Dashboard['ended'] = [];
  const client = createRealtimeClient({
    url,
    namespace,
    getToken: typeof token === 'string' ? () => token : token,
    transports: options.transports ?? ['websocket'],
    storage: options.storage,
    onEvent: (envelope) => delivered.push(envelope),
    onError: (error) => {
      errors.push(error);
      if (error.code === 'session_ended') ended.push({ code: (error.details as { code: string }).code, at: Date.now() });
    },
  });
  return {
    client,
    delivered,
    errors,
    ended,
    sales: () => delivered.filter((e) => e.type === EVENTS.posSaleCompleted.name).map((e) => (e.data as { saleId: string }).saleId),
    offsets: (room) => delivered.filter((e) => e.positions?.[room]).map((e) => Number(e.positions![room].offset)),
  };
}

/** Waits until every dashboard holds every sale in `committed` (or `timeoutMs` passed); returns how long that took. */
export async function allCaughtUp(dashboards: Dashboard[], committed: string[], timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (dashboards.some((d) => committed.some((id) => !d.sales().includes(id)))) {
    if (Date.now() - started > timeoutMs) break;
    await sleep(100);
  }
  return Date.now() - started;
}

/** True when `offsets` are consecutive integers: every event of the room, in room order, none twice. */
export const consecutive = (offsets: number[]) => offsets.every((o, i) => i === 0 || o === offsets[i - 1] + 1);
