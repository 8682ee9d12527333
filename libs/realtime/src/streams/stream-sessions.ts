import { once } from 'node:events';
import { setImmediate } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { CONTROL_EVENTS, type ResetReason, type RoomPositions, type StreamPosition } from '@retail/realtime-protocol';
import { engineConnection } from '../handshake/engine-connection.js';
import type { AuthedSocket } from '../handshake/socket-context.js';
import { ReplayHolds } from './replay-holds.js';
import { StreamStore, STREAM_PAGE, type ReplayRange, type StreamEvent, type StreamHead } from './stream-store.js';

// Past this many packets waiting for a socket, a replay waits for it to drain: bounded memory.
const MAX_QUEUED_PACKETS = 1_000;
const DRAIN_TIMEOUT_MS = 10_000;
const REPLAY_SLICE = 50;

const positionOf = ({ head, epoch }: StreamHead): StreamPosition => ({ offset: head.toString(), epoch });

/** Why a room cannot be replayed from `from`, or null when it can. */
function resetReason(from: StreamPosition, stream: StreamHead): ResetReason | null {
  const offset = BigInt(from.offset);
  if (from.epoch !== stream.epoch || offset > stream.head) return 'epoch_changed';
  const missedSomething = offset < stream.head;
  if (missedSomething && (stream.oldest === null || stream.oldest > offset + 1n)) return 'retention_exceeded';
  return null;
}

/**
 * A socket's place in its rooms' streams: where it starts (session.ready), and resuming from
 * given positions, in the handshake or in band. A replay is sent in pages, in relay order (so in
 * each room's order, each event once), and live events of its rooms wait until it is over.
 */
@Injectable()
export class StreamSessions {
  private readonly logger = new Logger('StreamSessions');

  constructor(
    private readonly store: StreamStore,
    private readonly holds: ReplayHolds,
  ) {}

  /** Joins `rooms`, tells the socket their heads, then replays the ones it resumes. */
  async open(socket: AuthedSocket, rooms: string[], resume: RoomPositions, refused: Record<string, 'forbidden'>): Promise<void> {
    const resumed = this.holds.hold(
      socket,
      rooms.filter((room) => resume[room]),
    );
    await socket.join(rooms);
    const heads = await this.store.heads(socket.nsp.name, rooms);
    socket.emit(CONTROL_EVENTS.sessionReady.name, {
      rooms: Object.fromEntries([...heads].map(([room, head]) => [room, positionOf(head)])),
    });
    if (resumed.length || Object.keys(refused).length) await this.replay(socket, positionsIn(resume, resumed), heads, refused);
  }

  /**
   * In-band resume of rooms the socket is in. Live events of those rooms are held from now on;
   * returns the replay to run once the command is acknowledged.
   */
  resume(socket: AuthedSocket, resume: RoomPositions, refused: Record<string, 'forbidden'>): () => Promise<void> {
    const resumed = this.holds.hold(socket, Object.keys(resume));
    return async () => {
      const heads = await this.store.heads(socket.nsp.name, resumed);
      await this.replay(socket, positionsIn(resume, resumed), heads, refused);
    };
  }

  /** The head of one room, e.g. for the `subscribe` ack. */
  async head(socket: AuthedSocket, room: string): Promise<StreamPosition> {
    const heads = await this.store.heads(socket.nsp.name, [room]);
    return positionOf(heads.get(room)!);
  }

  private async replay(socket: AuthedSocket, from: RoomPositions, heads: Map<string, StreamHead>, refused: Record<string, 'forbidden'>) {
    const rooms = Object.keys(from);
    const sent = new Set<string>();
    const resumedTo: RoomPositions = {};
    try {
      const ranges: ReplayRange[] = [];
      for (const room of rooms) {
        const stream = heads.get(room)!;
        const reason = resetReason(from[room], stream);
        if (reason) {
          socket.emit(CONTROL_EVENTS.resumeReset.name, { room, reason, position: positionOf(stream) });
          continue;
        }
        resumedTo[room] = positionOf(stream);
        if (BigInt(from[room].offset) < stream.head) ranges.push({ room, after: BigInt(from[room].offset), upTo: stream.head });
      }
      for await (const { envelope } of this.merged(socket, ranges)) {
        socket.emit(envelope.type, envelope as never);
        sent.add(envelope.id);
      }
    } catch (error) {
      this.logger.warn(`replay for ${socket.id} failed: ${(error as Error).message}`);
      socket.disconnect(true);
      return;
    } finally {
      // Synchronously: release, close the replay, then what was held, with no live event between.
      const held = this.holds.release(socket, rooms);
      if (socket.connected) {
        socket.emit(CONTROL_EVENTS.resumeOk.name, { rooms: resumedTo, refused });
        for (const envelope of held) if (!sent.has(envelope.id)) socket.emit(envelope.type, envelope as never);
      }
    }
  }

  /**
   * The rooms' histories merged in relay order: each room is read page by page along its own
   * index, and an event of several rooms comes out once. Other sockets of this replica get their
   * turn between small slices, and a slow socket is waited for: bounded time and memory.
   */
  private async *merged(socket: AuthedSocket, ranges: ReplayRange[]): AsyncGenerator<StreamEvent> {
    const rooms = ranges.map((range) => ({ range, page: [] as StreamEvent[], exhausted: false }));
    let last = -1n;
    let emitted = 0;
    while (socket.connected) {
      for (const room of rooms) {
        if (room.page.length || room.exhausted) continue;
        room.page = await this.store.roomPage(socket.nsp.name, room.range);
        room.exhausted = room.page.length < STREAM_PAGE;
        const newest = room.page.at(-1);
        if (newest) room.range = { ...room.range, after: BigInt(newest.envelope.positions![room.range.room].offset) };
        await drained(socket);
      }
      const next = rooms.filter((r) => r.page.length).sort((x, y) => (x.page[0].relaySeq < y.page[0].relaySeq ? -1 : 1))[0];
      if (!next) return;
      const event = next.page.shift()!;
      if (event.relaySeq === last) continue;
      last = event.relaySeq;
      if (++emitted % REPLAY_SLICE === 0) await setImmediate();
      yield event;
    }
  }
}

/** The positions of those of `rooms` that have one. */
export function positionsIn(positions: RoomPositions, rooms: string[]): RoomPositions {
  return Object.fromEntries(rooms.filter((room) => positions[room]).map((room) => [room, positions[room]]));
}

/** Waits while too much is queued for the socket, so a long replay never buffers without bound. */
async function drained(socket: AuthedSocket): Promise<void> {
  const connection = engineConnection(socket);
  if (connection.writeBuffer.length < MAX_QUEUED_PACKETS) return;
  await once(connection, 'drain', { signal: AbortSignal.timeout(DRAIN_TIMEOUT_MS) }).catch(() => undefined);
}
