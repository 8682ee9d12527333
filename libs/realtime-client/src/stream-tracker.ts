import type {
  ResetReason,
  ResumeOkPayload,
  ResumeResetPayload,
  RoomPositions,
  SessionReadyPayload,
  StreamPosition,
} from '@retail/realtime-protocol';
import { RecentIds } from './recent-ids.js';

/** What the tracker reads of an envelope: its id and, for a stream event, its position in each room. */
export interface TrackedEvent {
  id: string;
  positions?: RoomPositions;
}

/** What to do after one input: hand `deliver` to the app in this order, and resume `resume` in-band (if any). */
export interface TrackerOutcome<E> {
  deliver: E[];
  resume: RoomPositions;
}

export interface StreamTrackerOptions {
  /** How many delivered ids are remembered for dedupe (default 10,000). */
  dedupeCapacity?: number;
  /** How long a gap may go without progress before its resume is requested again (default 5 s). */
  gapTimeoutMs?: number;
  /** A room could not be replayed: the app reloads it; the room's later events follow the new position. */
  onReset?: (room: string, reason: ResetReason) => void;
  now?: () => number;
}

/** Where an event stands in one tracked room. */
type Step = 'next' | 'covered' | 'gap';
interface RoomStep {
  room: string;
  position: StreamPosition;
  step: Step;
}
type Verdict = 'deliver' | 'duplicate' | 'hold';

// Epochs a room moved away from, kept so a late event of an old epoch reads as covered, not as a gap.
const RETIRED_EPOCHS_PER_ROOM = 4;

const slot = (room: string, epoch: string, offset: bigint) => JSON.stringify([room, epoch, offset.toString()]);

/**
 * The socket-free core of the client: keeps a position per tracked room and decides, for each
 * incoming envelope, whether to deliver it now, drop it as a duplicate, or hold it behind a gap.
 *
 * A room is tracked once its position is known (storage, session.ready, resume.ok, resume.reset,
 * a subscribe ack); events never start tracking a room, since a socket only sees the events of
 * other rooms that were also published to its own. Of the tracked rooms an event names: while
 * any shows a gap, the event is held and that room is resumed from its position; otherwise it is
 * delivered if it is the next one in at least one of them (or it names none), and it is a
 * duplicate if all of them already cover it, as it is when its id was delivered. Delivering an
 * event releases the held events it unblocks, so a replay racing live events comes out in order.
 */
export class StreamTracker<E extends TrackedEvent = TrackedEvent> {
  private readonly known = new Map<string, StreamPosition>();
  private readonly retired = new Map<string, string[]>();
  private readonly recent: RecentIds;
  private readonly held = new Map<string, E>();
  /** Held event id by (room, epoch, offset), to find the event that comes next in a room. */
  private readonly heldAt = new Map<string, string>();
  /** Rooms resumed in-band and not answered yet: a gap found there is already being filled. */
  private readonly inFlight = new Set<string>();
  /** When each gapped room was last requested or made progress. */
  private readonly gapSince = new Map<string, number>();
  private readonly gapTimeoutMs: number;
  private readonly now: () => number;
  private changes = 0;

  constructor(private readonly options: StreamTrackerOptions = {}) {
    this.recent = new RecentIds(options.dedupeCapacity ?? 10_000);
    this.gapTimeoutMs = options.gapTimeoutMs ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  /** Grows whenever a position changes: save when it differs from what was last saved. */
  get revision(): number {
    return this.changes;
  }

  positions(): RoomPositions {
    return Object.fromEntries([...this.known].map(([room, position]) => [room, { ...position }]));
  }

  /** Positions kept from an earlier run; call before connecting. */
  restore(saved: RoomPositions): void {
    this.adoptUnknown(saved);
  }

  /**
   * A new connection resumes every tracked room through its handshake: in-band requests of the old
   * socket are void, and gaps get a fresh timeout. Returns the positions to put in `auth.resume`.
   */
  beginSession(): RoomPositions {
    this.inFlight.clear();
    for (const room of this.gapSince.keys()) this.gapSince.set(room, this.now());
    return this.positions();
  }

  receive(event: E): TrackerOutcome<E> {
    const out = emptyOutcome<E>();
    // Ephemeral events carry no positions: they are not part of any stream.
    if (!event.positions) return { ...out, deliver: [event] };
    if (this.recent.has(event.id) || this.held.has(event.id)) return out;
    const verdict = this.verdict(event);
    if (verdict === 'deliver') this.deliver(event, out);
    if (verdict === 'hold') {
      this.hold(event);
      this.requestGaps([event], out);
    }
    return out;
  }

  /** The head of every room the socket joined: a starting point for rooms without a position. */
  sessionReady({ rooms }: SessionReadyPayload): TrackerOutcome<E> {
    this.adoptUnknown(rooms);
    return this.reconsiderHeld({ requestGaps: true });
  }

  /**
   * The replay is over. Rooms move forward to where they were resumed (never back); refused rooms
   * are no longer tracked. A gap left in an answered room waits for its timeout rather than being
   * requested again at once, so a room the server cannot fill does not loop.
   */
  resumeOk({ rooms, refused }: ResumeOkPayload): TrackerOutcome<E> {
    for (const [room, position] of Object.entries(rooms)) {
      this.inFlight.delete(room);
      const known = this.known.get(room);
      if (!known || known.epoch !== position.epoch || BigInt(position.offset) > BigInt(known.offset)) this.adopt(room, position);
    }
    for (const room of Object.keys(refused)) this.untrack(room);
    return this.reconsiderHeld({ requestGaps: false });
  }

  /** The room cannot be replayed: take its new position as is, and tell the app to reload it. */
  resumeReset({ room, reason, position }: ResumeResetPayload): TrackerOutcome<E> {
    this.inFlight.delete(room);
    this.adopt(room, position);
    this.options.onReset?.(room, reason);
    return this.reconsiderHeld({ requestGaps: true });
  }

  /** A subscribe was acked with the room's head: a room already tracked resumes from its own position instead. */
  subscribed(room: string, head: StreamPosition): TrackerOutcome<E> {
    if (!this.known.has(room)) {
      this.adopt(room, head);
      return this.reconsiderHeld({ requestGaps: true });
    }
    const out = emptyOutcome<E>();
    this.request(room, out.resume);
    return out;
  }

  /** Stops tracking a room (unsubscribed); events held only because of it are released. */
  forget(room: string): TrackerOutcome<E> {
    this.untrack(room);
    return this.reconsiderHeld({ requestGaps: false });
  }

  /**
   * Rooms whose gap made no progress for `gapTimeoutMs`, e.g. because their resume was lost or
   * refused: they are requested again and returned, so the caller sends them and reports the stall.
   */
  overdueGaps(): RoomPositions {
    const gapped = this.gappedRooms();
    for (const room of this.gapSince.keys()) if (!gapped.has(room)) this.gapSince.delete(room);
    const overdue: RoomPositions = {};
    const now = this.now();
    for (const room of gapped) {
      const since = this.gapSince.get(room);
      if (since === undefined) this.gapSince.set(room, now);
      else if (now - since >= this.gapTimeoutMs) {
        this.gapSince.set(room, now);
        this.request(room, overdue);
      }
    }
    return overdue;
  }

  /** Where `event` stands in each tracked room it names. */
  private steps(event: E): RoomStep[] {
    const steps: RoomStep[] = [];
    for (const room in event.positions) {
      const known = this.known.get(room);
      const position = event.positions[room];
      if (known) steps.push({ room, position, step: stepFrom(known, position, this.retired.get(room)) });
    }
    return steps;
  }

  private verdict(event: E): Verdict {
    const steps = this.steps(event);
    if (steps.some(({ step }) => step === 'gap')) return 'hold';
    // An event naming no tracked room is not ordered against anything: only its id dedupes it.
    return steps.length === 0 || steps.some(({ step }) => step === 'next') ? 'deliver' : 'duplicate';
  }

  /** Delivers `event`, then every held event it unblocks, each once it is in order everywhere. */
  private deliver(event: E, out: TrackerOutcome<E>): void {
    const ready = [event];
    // A loop, not recursion: a long replay can unblock thousands of held events in a chain.
    for (let i = 0; i < ready.length; i++) {
      const current = ready[i];
      out.deliver.push(current);
      this.recent.add(current.id);
      for (const room of this.advance(current)) {
        const successor = this.heldSuccessor(room);
        if (successor && this.verdict(successor) === 'deliver') {
          this.unhold(successor);
          ready.push(successor);
        }
      }
    }
  }

  /** Moves every tracked room where `event` is next to its position; returns those rooms. */
  private advance(event: E): string[] {
    const advanced = this.steps(event).filter(({ step }) => step === 'next');
    for (const { room, position } of advanced) {
      this.known.set(room, { offset: position.offset, epoch: position.epoch });
      if (this.gapSince.has(room)) this.gapSince.set(room, this.now());
    }
    if (advanced.length) this.changes++;
    return advanced.map(({ room }) => room);
  }

  private heldSuccessor(room: string): E | undefined {
    const { epoch, offset } = this.known.get(room)!;
    const id = this.heldAt.get(slot(room, epoch, BigInt(offset) + 1n));
    return id === undefined ? undefined : this.held.get(id);
  }

  private hold(event: E): void {
    this.held.set(event.id, event);
    for (const [room, { epoch, offset }] of Object.entries(event.positions ?? {}))
      this.heldAt.set(slot(room, epoch, BigInt(offset)), event.id);
  }

  private unhold(event: E): void {
    this.held.delete(event.id);
    for (const [room, { epoch, offset }] of Object.entries(event.positions ?? {})) {
      const key = slot(room, epoch, BigInt(offset));
      if (this.heldAt.get(key) === event.id) this.heldAt.delete(key);
    }
  }

  /** After positions were adopted or dropped: release or drop what is no longer blocked. */
  private reconsiderHeld({ requestGaps }: { requestGaps: boolean }): TrackerOutcome<E> {
    const out = emptyOutcome<E>();
    for (const event of [...this.held.values()]) {
      // A chain started by an earlier event of this loop may have released it already.
      if (!this.held.has(event.id)) continue;
      const verdict = this.verdict(event);
      if (verdict === 'hold') continue;
      this.unhold(event);
      if (verdict === 'deliver') this.deliver(event, out);
    }
    if (requestGaps) this.requestGaps(this.held.values(), out);
    return out;
  }

  /** Resumes every room where one of `events` shows a gap, unless a resume of it is already under way. */
  private requestGaps(events: Iterable<E>, out: TrackerOutcome<E>): void {
    for (const event of events) {
      for (const { room, step } of this.steps(event)) {
        if (step !== 'gap' || this.inFlight.has(room)) continue;
        this.gapSince.set(room, this.now());
        this.request(room, out.resume);
      }
    }
  }

  private request(room: string, into: RoomPositions): void {
    into[room] = { ...this.known.get(room)! };
    this.inFlight.add(room);
  }

  private gappedRooms(): Set<string> {
    const rooms = new Set<string>();
    for (const event of this.held.values()) for (const { room, step } of this.steps(event)) if (step === 'gap') rooms.add(room);
    return rooms;
  }

  private adoptUnknown(rooms: RoomPositions): void {
    for (const [room, position] of Object.entries(rooms)) if (!this.known.has(room)) this.adopt(room, position);
  }

  private adopt(room: string, { offset, epoch }: StreamPosition): void {
    const known = this.known.get(room);
    if (known && known.epoch !== epoch) {
      const retired = [...(this.retired.get(room) ?? []), known.epoch];
      this.retired.set(room, retired.slice(-RETIRED_EPOCHS_PER_ROOM));
    }
    this.known.set(room, { offset, epoch });
    this.changes++;
  }

  private untrack(room: string): void {
    this.known.delete(room);
    this.retired.delete(room);
    this.inFlight.delete(room);
    this.gapSince.delete(room);
    this.changes++;
  }
}

/**
 * Same epoch: the next offset, one already covered, or one past a gap. An epoch the room moved
 * away from is covered; an epoch never seen means the room was reset and its resume will say so,
 * which is handled as a gap.
 */
function stepFrom(known: StreamPosition, position: StreamPosition, retired: readonly string[] = []): Step {
  if (position.epoch !== known.epoch) return retired.includes(position.epoch) ? 'covered' : 'gap';
  const ahead = BigInt(position.offset) - BigInt(known.offset);
  if (ahead <= 0n) return 'covered';
  return ahead === 1n ? 'next' : 'gap';
}

const emptyOutcome = <E>(): TrackerOutcome<E> => ({ deliver: [], resume: {} });
