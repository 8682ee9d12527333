import { once } from 'node:events';
import { setImmediate } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import {
  CONTROL_EVENTS,
  type ResetReason,
  type ResumeResetPayload,
  type RoomPositions,
  type StreamPosition,
} from '@retail/realtime-protocol';
import { engineConnection } from '../handshake/engine-connection.js';
import type { AuthedSocket } from '../handshake/socket-context.js';
import { ReplayBudget } from './replay-budget.js';
import { ReplayHolds } from './replay-holds.js';
import { StreamStore, STREAM_PAGE, type ReplayRange, type StreamEvent, type StreamHead } from './stream-store.js';

// Past this many packets waiting for a socket, a replay waits for it to drain: a socket's backlog
// stays a few hundred KB whatever it replays, so a replica can replay to many sockets at once.
const MAX_QUEUED_PACKETS = 100;
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
 * each room's order, each event once), and live events of its rooms wait until it is over. One
 * replay per socket at a time, and no more events per user and minute than ReplayBudget allows.
 */
@Injectable()
export class StreamSessions {
  private readonly logger = new Logger('StreamSessions');

  constructor(
    private readonly store: StreamStore,
    private readonly holds: ReplayHolds,
    private readonly budget: ReplayBudget,
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
    if (resumed.length || Object.keys(refused).length) {
      await this.queue(socket, () => this.replay(socket, positionsIn(resume, resumed), heads, refused));
    }
  }

  /**
   * In-band resume of rooms the socket is in. Live events of those rooms are held from now on;
   * returns the replay to run once the command is acknowledged, after any replay before it.
   */
  resume(socket: AuthedSocket, resume: RoomPositions, refused: Record<string, 'forbidden'>): () => Promise<void> {
    const resumed = this.holds.hold(socket, Object.keys(resume));
    return () =>
      this.queue(socket, async () => {
        const heads = await this.store.heads(socket.nsp.name, resumed);
        await this.replay(socket, positionsIn(resume, resumed), heads, refused);
      });
  }

  /** The head of one room, e.g. for the `subscribe` ack. */
  async head(socket: AuthedSocket, room: string): Promise<StreamPosition> {
    const heads = await this.store.heads(socket.nsp.name, [room]);
    return positionOf(heads.get(room)!);
  }

  /**
   * One replay per socket at a time: a client's second resume waits for its first, so a socket
   * costs one page of memory at most. A replay whose socket is gone by its turn is dropped.
   */
  private queue(socket: AuthedSocket, replay: () => Promise<void>): Promise<void> {
    const previous = socket.data.replays ?? Promise.resolve();
    const queued = previous
      .then(() => (socket.connected ? replay() : undefined))
      .catch((error: Error) => {
        // Its rooms would stay held: the client reconnects and resumes instead.
        this.logger.warn(`replay for ${socket.id} failed: ${error.message}`);
        socket.disconnect(true);
      });
    socket.data.replays = queued;
    return queued;
  }

  private async replay(socket: AuthedSocket, from: RoomPositions, heads: Map<string, StreamHead>, refused: Record<string, 'forbidden'>) {
    const rooms = Object.keys(from);
    const sent = new Set<string>();
    let resumedTo: RoomPositions = {};
    try {
      const plan = await this.plan(socket, from, heads);
      resumedTo = plan.resumedTo;
      for (const reset of plan.resets) socket.emit(CONTROL_EVENTS.resumeReset.name, reset);
      for await (const { envelope } of this.replayed(socket, plan.ranges)) {
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
   * What each room gets: a range to replay, or `resume.reset` when its history cannot be replayed
   * (another epoch, past the retention) or the user's replay budget has no room left for it.
   */
  private async plan(socket: AuthedSocket, from: RoomPositions, heads: Map<string, StreamHead>) {
    const resets: ResumeResetPayload[] = [];
    const ranges: ReplayRange[] = [];
    for (const [room, position] of Object.entries(from)) {
      const stream = heads.get(room)!;
      const reason = resetReason(position, stream);
      if (reason) resets.push({ room, reason, position: positionOf(stream) });
      else ranges.push({ room, after: BigInt(position.offset), upTo: stream.head });
    }
    const missed = ranges.filter(({ after, upTo }) => after < upTo);
    const granted = await this.budget.grant(
      socket.data.principal.userId,
      missed.map(({ after, upTo }) => Number(upTo - after)),
    );
    const limited = new Set(missed.filter((_, i) => !granted[i]).map(({ room }) => room));
    for (const room of limited) resets.push({ room, reason: 'replay_limited', position: positionOf(heads.get(room)!) });
    const replayed = ranges.filter(({ room }) => !limited.has(room));
    const resumedTo = Object.fromEntries(replayed.map(({ room }) => [room, positionOf(heads.get(room)!)]));
    return { resets, ranges: replayed.filter(({ after, upTo }) => after < upTo), resumedTo };
  }

  /**
   * The rooms' histories merged in relay order, a page of all of them at a time (each room's part
   * of a page is its next events), so memory stays one page whatever the number of rooms. Other
   * sockets of this replica get their turn between small slices, and a slow socket is waited for.
   */
  private async *replayed(socket: AuthedSocket, ranges: ReplayRange[]): AsyncGenerator<StreamEvent> {
    let open = ranges;
    let emitted = 0;
    while (open.length && socket.connected) {
      const page = await this.store.replayPage(socket.nsp.name, open);
      for (const event of page) {
        if (++emitted % REPLAY_SLICE === 0) {
          await drained(socket);
          await setImmediate();
        }
        yield event;
      }
      if (page.length < STREAM_PAGE) return;
      open = open.map((range) => reachedIn(page, range)).filter(({ after, upTo }) => after < upTo);
    }
  }
}

/** The range left of a room once `page` was sent: after the last of its events in it. */
function reachedIn(page: StreamEvent[], range: ReplayRange): ReplayRange {
  for (let i = page.length - 1; i >= 0; i--) {
    const position = page[i].envelope.positions?.[range.room];
    if (position) return { ...range, after: BigInt(position.offset) };
  }
  return range;
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
