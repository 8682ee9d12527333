import { RealtimeService } from '@retail/realtime';
import { EVENTS, type EventKey, type RealtimeEnvelope } from '@retail/realtime-protocol';

export interface SentEvent {
  event: EventKey;
  // Tests read whichever payload fields they check.
  payload: any;
  rooms: string[];
}

const KEY_BY_NAME = new Map(Object.entries(EVENTS).map(([key, { name }]) => [name as string, key as EventKey]));

/**
 * THE fake of the realtime facade: the real RealtimeService (routing, envelopes, afterCommit)
 * over a publisher that records instead of putting events on a socket.
 */
export function recordingRealtime() {
  const sent: SentEvent[] = [];
  const publisher = {
    publish: (_namespace: string, rooms: string[], envelope: RealtimeEnvelope) =>
      void sent.push({ event: KEY_BY_NAME.get(envelope.type)!, payload: envelope.data, rooms }),
  };
  // With the outbox off, every event takes the after-commit path to the recording publisher.
  const outbox = { enabled: false };
  return { sent, realtime: new RealtimeService(publisher as never, outbox as never) };
}
