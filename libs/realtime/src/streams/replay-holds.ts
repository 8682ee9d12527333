import { Injectable } from '@nestjs/common';
import { AppConfig } from '@retail/config';
import { MetricsService } from '@retail/observability';
import type { RealtimeEnvelope } from '@retail/realtime-protocol';
import { endSession } from '../handshake/end-session.js';
import type { AuthedSocket, RealtimeNamespace } from '../handshake/socket-context.js';

interface Held {
  rooms: string[];
  envelope: RealtimeEnvelope;
}

interface Hold {
  rooms: Set<string>;
  queue: Held[];
}

/**
 * While a socket replays a room, live events of that room wait here for it, so the whole replay
 * arrives before any live event of the room. Everyone else gets live events as one broadcast,
 * serialised once. A socket may hold at most SOCKET_MAX_HELD_EVENTS: one whose replay cannot keep
 * up with its rooms' live traffic is ended, `slow_consumer`, and resumes afresh.
 */
@Injectable()
export class ReplayHolds {
  private readonly holds = new Map<AuthedSocket, Hold>();
  private readonly maxHeld: number;

  constructor(
    config: AppConfig,
    private readonly metrics: MetricsService,
  ) {
    this.maxHeld = config.websocket.maxHeldEvents;
  }

  /** Holds live events of `rooms` for `socket`; returns the rooms it was not already holding. */
  hold(socket: AuthedSocket, rooms: string[]): string[] {
    const hold = this.holds.get(socket) ?? this.holds.set(socket, { rooms: new Set(), queue: [] }).get(socket)!;
    const added = rooms.filter((room) => !hold.rooms.has(room));
    for (const room of added) hold.rooms.add(room);
    return added;
  }

  /** Stops holding `rooms`; returns, in arrival order, the events held that no room still held waits for. */
  release(socket: AuthedSocket, rooms: string[]): RealtimeEnvelope[] {
    const hold = this.holds.get(socket);
    if (!hold) return [];
    for (const room of rooms) hold.rooms.delete(room);
    if (!hold.rooms.size) this.holds.delete(socket);
    const stillHeld = (held: Held) => held.rooms.some((room) => hold.rooms.has(room));
    const released = hold.queue.filter((held) => !stillHeld(held));
    hold.queue = hold.queue.filter(stillHeld);
    return released.map((held) => held.envelope);
  }

  /** Sends a live event to this replica's sockets in `rooms`, each once, holding it for replaying ones. */
  deliver(namespace: RealtimeNamespace, rooms: string[], envelope: RealtimeEnvelope): void {
    // Nobody here is in these rooms: nothing to encode.
    if (!rooms.some((room) => namespace.adapter.rooms.get(room)?.size)) return;
    const held = this.holds.size
      ? [...this.holds].filter(([socket, hold]) => socket.nsp === namespace && rooms.some((r) => hold.rooms.has(r)))
      : [];
    const target = namespace.local.to(rooms);
    (held.length ? target.except(held.map(([socket]) => socket.id)) : target).emit(envelope.type, envelope as never);
    for (const [socket, hold] of held) {
      hold.queue.push({ rooms, envelope });
      if (hold.queue.length > this.maxHeld) this.endHolding(socket);
    }
  }

  forget(socket: AuthedSocket): void {
    this.holds.delete(socket);
  }

  private endHolding(socket: AuthedSocket): void {
    this.forget(socket);
    this.metrics.slowConsumerDisconnects.inc({ namespace: socket.nsp.name });
    endSession(socket, 'slow_consumer', `More than ${this.maxHeld} live events waited for this socket's replay`);
  }
}
