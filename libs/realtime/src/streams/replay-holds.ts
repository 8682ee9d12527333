import { Injectable } from '@nestjs/common';
import type { RealtimeEnvelope } from '@retail/realtime-protocol';
import type { AuthedSocket, RealtimeNamespace } from '../handshake/socket-context.js';

interface Hold {
  rooms: Set<string>;
  queue: RealtimeEnvelope[];
}

/**
 * While a socket replays a room, live events of that room wait here for it, so the whole replay
 * arrives before any live event of the room. Everyone else gets live events as one broadcast,
 * serialised once.
 */
@Injectable()
export class ReplayHolds {
  private readonly holds = new Map<AuthedSocket, Hold>();

  /** Holds live events of `rooms` for `socket`; returns the rooms it was not already holding. */
  hold(socket: AuthedSocket, rooms: string[]): string[] {
    const hold = this.holds.get(socket) ?? this.holds.set(socket, { rooms: new Set(), queue: [] }).get(socket)!;
    const added = rooms.filter((room) => !hold.rooms.has(room));
    for (const room of added) hold.rooms.add(room);
    return added;
  }

  /** Stops holding `rooms`; returns, in arrival order, the events held while nothing else is held. */
  release(socket: AuthedSocket, rooms: string[]): RealtimeEnvelope[] {
    const hold = this.holds.get(socket);
    if (!hold) return [];
    for (const room of rooms) hold.rooms.delete(room);
    if (hold.rooms.size) return [];
    this.holds.delete(socket);
    return hold.queue;
  }

  /** Sends a live event to this replica's sockets in `rooms`, each once, holding it for replaying ones. */
  deliver(namespace: RealtimeNamespace, rooms: string[], envelope: RealtimeEnvelope): void {
    const held = this.holds.size
      ? [...this.holds].filter(([socket, hold]) => socket.nsp === namespace && rooms.some((r) => hold.rooms.has(r)))
      : [];
    const target = namespace.local.to(rooms);
    (held.length ? target.except(held.map(([socket]) => socket.id)) : target).emit(envelope.type, envelope as never);
    for (const [, hold] of held) hold.queue.push(envelope);
  }

  forget(socket: AuthedSocket): void {
    this.holds.delete(socket);
  }
}
