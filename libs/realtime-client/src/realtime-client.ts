import { io, type ManagerOptions, type Socket } from 'socket.io-client';
import {
  COMMANDS,
  CONTROL_EVENTS,
  EVENTS,
  MAX_RESUME_ROOMS,
  NAMESPACES,
  RoomPositions,
  type Ack,
  type ClientToServerEvents,
  type EventName,
  type HandshakeAuth,
  type NamespaceKey,
  type RealtimeEnvelope,
  type ResetReason,
  type ServerToClientEvents,
  type StreamPosition,
} from '@retail/realtime-protocol';
import { RealtimeClientError } from './errors.js';
import { StreamTracker, type TrackerOutcome } from './stream-tracker.js';
import { refreshDelayMs, tokenExpiry } from './token-expiry.js';

/** The envelope an event arrives in, typed from the protocol. */
export type EnvelopeOf<N extends EventName> = Parameters<ServerToClientEvents[N]>[0];

/** Where positions outlive the process, e.g. localStorage in a browser or a file on a till. */
export interface PositionStorage {
  load(): RoomPositions | undefined | Promise<RoomPositions | undefined>;
  save(positions: RoomPositions): void | Promise<void>;
}

export interface RealtimeClientOptions {
  /** The server's origin, e.g. `https://realtime.example.com`; the namespace path is added to it. */
  url: string;
  namespace: NamespaceKey;
  /**
   * Called on every (re)connect, and again shortly before the token expires (it is sent in band,
   * `auth.refresh`, so the socket stays up): return a valid token, a fresh one when the last is
   * close to expiry.
   */
  getToken: () => string | Promise<string>;
  /** Positions are loaded from it before the first connect and saved to it, throttled, as they change. */
  storage?: PositionStorage;
  transports?: ManagerOptions['transports'];
  /** Every envelope of the namespace, in room order, once per id; ephemeral ones as they come. */
  onEvent?: (envelope: RealtimeEnvelope) => void;
  /** The room cannot be replayed: reload its state over REST; its later events follow. */
  onReset?: (room: string, reason: ResetReason) => void;
  /** Problems the client works around or stops on (see RealtimeClientErrorCode); defaults to console.error. */
  onError?: (error: RealtimeClientError) => void;
  /** How long a command waits for its ack (default 10 s). */
  ackTimeoutMs?: number;
  /** How long a gap may make no progress before its resume is sent again (default 5 s). */
  gapTimeoutMs?: number;
  /** At most one save per this many ms (default 1 s). */
  saveThrottleMs?: number;
  /** How many delivered event ids are remembered for dedupe (default 10,000). */
  dedupeCapacity?: number;
  /** Backoff of every reconnect, doubling from min to max (default 0.5 s to 30 s; socket.io's own, after a dropped transport, at most 5 s). */
  reconnectDelayMs?: { min: number; max: number };
}

export interface RealtimeClient {
  /** Calls `handler` with every envelope of `event` (one of the client's namespace); returns a function that stops it. */
  on<N extends EventName>(event: N, handler: (envelope: EnvelopeOf<N>) => void): () => void;
  /** Joins a room and tracks it from its head, or resumes it from the position already held. */
  subscribe(room: string): Promise<{ room: string; position: StreamPosition }>;
  /** Leaves a room and stops tracking it. */
  unsubscribe(room: string): Promise<void>;
  /** The position reached in every tracked room. */
  positions(): RoomPositions;
  /** Resolves once the first session has started: the client knows where every default room stands. */
  ready(): Promise<void>;
  /** Disconnects for good and saves the positions. */
  close(): Promise<void>;
}

/** Connects to one namespace and delivers its events in room order, once each, across reconnects and restarts. */
export function createRealtimeClient(options: RealtimeClientOptions): RealtimeClient {
  return new TrackedSocketClient(options);
}

// Refusals a new token can fix (token_missing follows a failed getToken()), and those that pass
// with time (the user's or company's rate budget, a database outage): retried with backoff.
const RETRIED_REFUSALS = new Set(['token_expired', 'token_invalid', 'token_missing', 'rate_limited', 'database_unavailable']);

class TrackedSocketClient implements RealtimeClient {
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private readonly tracker: StreamTracker<RealtimeEnvelope>;
  private readonly handlers = new Map<EventName, Set<(envelope: RealtimeEnvelope) => void>>();
  /** The events of this client's namespace: the only ones it listens to. */
  private readonly eventNames: ReadonlySet<EventName>;
  private readonly gapWatch: ReturnType<typeof setInterval>;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** The token the current session runs on. */
  private token: string | undefined;
  private reconnectAttempts = 0;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private savedRevision = 0;
  private saving: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly started: Promise<void>;
  private markStarted!: () => void;

  constructor(private readonly options: RealtimeClientOptions) {
    this.started = new Promise((resolve) => (this.markStarted = resolve));
    this.tracker = new StreamTracker({
      dedupeCapacity: options.dedupeCapacity,
      gapTimeoutMs: options.gapTimeoutMs,
      onReset: options.onReset,
    });
    this.socket = io(`${options.url}${NAMESPACES[options.namespace].path}`, {
      autoConnect: false,
      transports: options.transports,
      // After a dropped transport (a replica died) socket.io reconnects by itself: soon, and jittered.
      reconnectionDelay: options.reconnectDelayMs?.min ?? 500,
      reconnectionDelayMax: Math.min(options.reconnectDelayMs?.max ?? 30_000, 5_000),
      // Each delay anywhere from 0 to twice the step: the dashboards of a replica that died spread their returns.
      randomizationFactor: 1,
      // A callback, so every (re)connect sends a fresh token and the positions reached so far.
      auth: (send) =>
        void this.handshakeAuth().then((auth) => {
          if (!this.closed) send(auth);
        }),
    });
    this.eventNames = new Set(Object.values(EVENTS).flatMap((event) => (event.namespace === options.namespace ? [event.name] : [])));
    this.listen();
    const gapTimeoutMs = options.gapTimeoutMs ?? 5_000;
    this.gapWatch = setInterval(() => this.resendStalledGaps(), gapTimeoutMs / 2);
    void this.start();
  }

  on<N extends EventName>(event: N, handler: (envelope: EnvelopeOf<N>) => void): () => void {
    if (!this.eventNames.has(event)) throw new Error(`${event} is not an event of the ${this.options.namespace} namespace`);
    let handlers = this.handlers.get(event);
    if (!handlers) this.handlers.set(event, (handlers = new Set()));
    // Safe to widen: dispatch hands a handler only envelopes of the event it was registered for.
    const listener = handler as (envelope: RealtimeEnvelope) => void;
    handlers.add(listener);
    return () => handlers.delete(listener);
  }

  async subscribe(room: string): Promise<{ room: string; position: StreamPosition }> {
    const joined = await this.command<{ room: string; position: StreamPosition }>(COMMANDS.subscribe.name, { room });
    this.apply(this.tracker.subscribed(joined.room, joined.position));
    return { room: joined.room, position: this.tracker.positions()[joined.room] };
  }

  async unsubscribe(room: string): Promise<void> {
    const left = await this.command<{ room: string }>(COMMANDS.unsubscribe.name, { room });
    this.apply(this.tracker.forget(left.room));
  }

  positions(): RoomPositions {
    return this.tracker.positions();
  }

  ready(): Promise<void> {
    return this.started;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.gapWatch);
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.refreshTimer);
    clearTimeout(this.saveTimer);
    this.socket.disconnect();
    if (this.tracker.revision !== this.savedRevision) this.save();
    await this.saving;
  }

  /** The socket without the catalog's typings, which take one event name at a time, never a union of them. */
  private get untyped(): Socket {
    return this.socket as unknown as Socket;
  }

  private async start(): Promise<void> {
    await this.restorePositions();
    if (!this.closed) this.socket.connect();
  }

  private listen(): void {
    for (const name of this.eventNames) this.untyped.on(name, (envelope: RealtimeEnvelope) => this.apply(this.tracker.receive(envelope)));
    this.socket.on(CONTROL_EVENTS.sessionReady.name, (ready) => {
      this.apply(this.tracker.sessionReady(ready));
      this.markStarted();
    });
    this.socket.on(CONTROL_EVENTS.resumeOk.name, (resumed) => this.apply(this.tracker.resumeOk(resumed)));
    this.socket.on(CONTROL_EVENTS.resumeReset.name, (reset) => this.apply(this.tracker.resumeReset(reset)));
    this.socket.on(CONTROL_EVENTS.sessionEnded.name, ({ code, message }) =>
      this.report(new RealtimeClientError('session_ended', `session ended: ${message}`, { code })),
    );
    this.socket.on('connect', () => {
      this.reconnectAttempts = 0;
      this.scheduleRefresh();
    });
    // socket.io-client reconnects by itself after transport failures, never after the server ended the
    // session (an expired token, a slow consumer): that one is up to us.
    this.socket.on('disconnect', (reason) => {
      clearTimeout(this.refreshTimer);
      if (reason === 'io server disconnect') this.reconnectLater();
    });
    this.socket.on('connect_error', (error) => this.handleRefusal(error));
  }

  /** Resume carries what was reached in each room, so the server replays only what was missed. */
  private async handshakeAuth(): Promise<HandshakeAuth> {
    // Connecting without a token is refused as token_missing, which retries with backoff.
    const token = (this.token = await this.freshToken());
    // The server takes at most MAX_RESUME_ROOMS; a room left out resumes in-band once its next event shows a gap.
    const resume = Object.fromEntries(Object.entries(this.tracker.beginSession()).slice(0, MAX_RESUME_ROOMS));
    return { token, resume };
  }

  private async freshToken(): Promise<string | undefined> {
    try {
      return await this.options.getToken();
    } catch (error) {
      this.report(new RealtimeClientError('token_failed', 'getToken() failed', undefined, { cause: error }));
      return undefined;
    }
  }

  /** Before the session's token expires, hands the server a fresh one in band. */
  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    const exp = tokenExpiry(this.token);
    if (exp === undefined) return;
    this.refreshTimer = setTimeout(() => void this.refreshInBand(), refreshDelayMs(exp));
  }

  /**
   * A refusal (or a failed getToken) is reported and not retried: the server ends the session when
   * the token expires, and the client reconnects as after any ended session, resuming every room.
   */
  private async refreshInBand(): Promise<void> {
    const token = await this.freshToken();
    if (!token || !this.socket.connected) return;
    try {
      await this.command(COMMANDS.authRefresh.name, { token });
      this.token = token;
      this.scheduleRefresh();
    } catch (error) {
      this.report(error as RealtimeClientError);
    }
  }

  private handleRefusal(error: Error): void {
    // While active, this was a transport failure and socket.io-client retries by itself.
    if (this.closed || this.socket.active) return;
    const code = (error as Error & { data?: { code?: string } }).data?.code ?? error.message;
    if (RETRIED_REFUSALS.has(code)) {
      this.reconnectLater();
      return;
    }
    this.report(new RealtimeClientError('connect_refused', `connection refused: ${code}`, { code }, { cause: error }));
  }

  private reconnectLater(): void {
    if (this.closed || this.reconnectTimer) return;
    const { min, max } = this.options.reconnectDelayMs ?? { min: 500, max: 30_000 };
    // Full jitter (anywhere from 0 to the doubling cap), so clients dropped together come back spread out, not together.
    const delay = Math.random() * Math.min(max, min * 2 ** this.reconnectAttempts++);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.closed) this.socket.connect();
    }, delay);
  }

  private apply({ deliver, resume }: TrackerOutcome<RealtimeEnvelope>): void {
    for (const envelope of deliver) this.dispatch(envelope);
    this.resume(resume);
    this.scheduleSave();
  }

  private dispatch(envelope: RealtimeEnvelope): void {
    const handlers = [this.options.onEvent, ...(this.handlers.get(envelope.type) ?? [])];
    for (const handler of handlers) {
      try {
        handler?.(envelope);
      } catch (error) {
        this.report(
          new RealtimeClientError('handler_failed', `a handler of ${envelope.type} threw`, { id: envelope.id }, { cause: error }),
        );
      }
    }
  }

  /** Sends an in-band resume, in batches the server accepts. Skipped while disconnected: the handshake resumes every room. */
  private resume(rooms: RoomPositions): void {
    const entries = Object.entries(rooms);
    if (!entries.length || !this.socket.connected) return;
    for (let i = 0; i < entries.length; i += MAX_RESUME_ROOMS) {
      const batch = Object.fromEntries(entries.slice(i, i + MAX_RESUME_ROOMS));
      // A lost resume is not fatal: its gap stalls and is sent again.
      this.command(COMMANDS.resume.name, { rooms: batch }).catch((error: RealtimeClientError) => this.report(error));
    }
  }

  private resendStalledGaps(): void {
    if (!this.socket.connected) return;
    const stalled = this.tracker.overdueGaps();
    if (!Object.keys(stalled).length) return;
    this.report(
      new RealtimeClientError('gap_stalled', `no progress filling a gap in ${Object.keys(stalled).join(', ')}`, { rooms: stalled }),
    );
    this.resume(stalled);
  }

  /** Sends a command and resolves with its result; a refusal or a missing ack rejects with command_failed. */
  private async command<T extends object>(name: keyof ClientToServerEvents, payload: object): Promise<T> {
    let ack: Ack<T>;
    try {
      ack = (await this.untyped.timeout(this.options.ackTimeoutMs ?? 10_000).emitWithAck(name, payload)) as Ack<T>;
    } catch (error) {
      throw new RealtimeClientError('command_failed', `${name}: no ack`, undefined, { cause: error });
    }
    if (!ack.ok) throw new RealtimeClientError('command_failed', `${name}: ${ack.error.message}`, ack.error);
    return ack;
  }

  private async restorePositions(): Promise<void> {
    if (!this.options.storage) return;
    try {
      const saved = await this.options.storage.load();
      if (saved === undefined) return;
      const parsed = RoomPositions.safeParse(saved);
      if (!parsed.success) throw new Error(`stored positions are malformed: ${parsed.error.message}`);
      this.tracker.restore(parsed.data);
      this.savedRevision = this.tracker.revision;
    } catch (error) {
      this.report(
        new RealtimeClientError('storage_failed', 'could not load positions; starting from the heads', undefined, { cause: error }),
      );
    }
  }

  private scheduleSave(): void {
    if (!this.options.storage || this.saveTimer || this.tracker.revision === this.savedRevision) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.save();
    }, this.options.saveThrottleMs ?? 1_000);
  }

  /** Saves one after the other, so a slow save never lands after a newer one. */
  private save(): void {
    const storage = this.options.storage;
    if (!storage) return;
    this.savedRevision = this.tracker.revision;
    const positions = this.tracker.positions();
    this.saving = this.saving
      .then(() => storage.save(positions))
      .catch((error) => this.report(new RealtimeClientError('storage_failed', 'could not save positions', undefined, { cause: error })));
  }

  private report(error: RealtimeClientError): void {
    (this.options.onError ?? console.error)(error);
  }
}
