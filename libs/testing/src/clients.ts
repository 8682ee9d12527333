import { io, type Socket } from 'socket.io-client';
import {
  type EventName,
  type NamespaceKey,
  type RealtimeEnvelope,
  type RoomPositions,
  COMMANDS,
  CONTROL_EVENTS,
  NAMESPACES,
} from '@retail/realtime-protocol';

type CommandName = (typeof COMMANDS)[keyof typeof COMMANDS]['name'];

/** Tests read payloads loosely; the catalog types are checked where events are produced. */
export type TestEnvelope = Omit<RealtimeEnvelope, 'data'> & { data: any };

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ApiOptions {
  headers?: Record<string, string>;
  /** Fails the call (AbortError) instead of waiting longer for an answer. */
  timeoutMs?: number;
}

/** A tiny REST client for tests. */
export async function api<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  options: ApiOptions = {},
): Promise<ApiResponse<T>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** What login and refresh answer. */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/**
 * The key of every seeded till in a test database (createTestDatabase writes its hash): what
 * `login` sends with a `deviceId` unless told another key. Tests only; never a real till's key.
 */
export const TEST_DEVICE_KEY = 'test-only-device-key-0000000000000000000000';

export interface LoginOptions {
  password?: string;
  /** Log in on this till, with `deviceKey` (default TEST_DEVICE_KEY). */
  deviceId?: string;
  deviceKey?: string;
}

/** Logs a demo user in; resolves with both tokens. */
export async function loginSession(baseUrl: string, email: string, extra: LoginOptions = {}): Promise<SessionTokens> {
  const { status, body } = await api(baseUrl, 'POST', '/auth/login', undefined, {
    email,
    password: extra.password ?? 'demo1234',
    ...(extra.deviceId ? { deviceId: extra.deviceId, deviceKey: extra.deviceKey ?? TEST_DEVICE_KEY } : {}),
  });
  if (status !== 200) throw new Error(`login ${email} failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** Logs a demo user in; resolves with the access token. */
export async function login(baseUrl: string, email: string, extra: LoginOptions = {}): Promise<string> {
  return (await loginSession(baseUrl, email, extra)).accessToken;
}

/** Connects to a namespace; resolves once connected, rejects with the connect_error. */
export function connectSocket(
  url: string,
  namespace: NamespaceKey,
  token: string | undefined,
  options: {
    transports?: string[];
    extraHeaders?: Record<string, string>;
    /** Keep cookies, as a browser does (the balancer's stickiness cookie for long-polling). */
    withCredentials?: boolean;
    resume?: RoomPositions;
    /** More of the handshake's `auth`, e.g. a till's appVersion. */
    auth?: Record<string, unknown>;
    onSocket?: (socket: Socket) => void;
  } = {},
): Promise<Socket> {
  const socket = io(`${url}${NAMESPACES[namespace].path}`, {
    auth: { ...options.auth, ...(token ? { token } : {}), ...(options.resume ? { resume: options.resume } : {}) },
    transports: options.transports ?? ['websocket'],
    extraHeaders: options.extraHeaders,
    withCredentials: options.withCredentials,
    reconnection: false,
    forceNew: true,
  });
  options.onSocket?.(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Records every envelope of the given events that a socket receives. */
export function record(socket: Socket, ...events: EventName[]) {
  const received: TestEnvelope[] = [];
  for (const event of events) socket.on(event, (envelope: TestEnvelope) => received.push(envelope));
  return received;
}

/** Resolves with the first envelope of `event` matching `match`, or rejects after `timeoutMs`. */
export function nextEvent(
  socket: Socket,
  event: EventName,
  match: (e: TestEnvelope) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<TestEnvelope> {
  const waiting = new Promise<TestEnvelope>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (envelope: TestEnvelope) => {
      if (!match(envelope)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(envelope);
    };
    socket.on(event, listener);
  });
  // Marked handled: a test that fails before awaiting it reports that failure, not this timeout.
  waiting.catch(() => undefined);
  return waiting;
}

/** Resolves once the server ends the socket's session: the `session.ended` payload and the disconnect reason. */
export function sessionEnd(socket: Socket, timeoutMs = 10_000): Promise<{ ended: { code: string; message: string }; reason: string }> {
  const ended = new Promise<{ code: string; message: string }>((resolve) => socket.once(CONTROL_EVENTS.sessionEnded.name, resolve));
  const reason = new Promise<string>((resolve) => socket.once('disconnect', resolve));
  const both = Promise.all([ended, reason]).then(([e, r]) => ({ ended: e, reason: r }));
  const timeout = new Promise<never>((_, reject) => {
    const timer = setTimeout(() => reject(new Error(`session not ended within ${timeoutMs} ms`)), timeoutMs);
    void both.finally(() => clearTimeout(timer));
  });
  const waiting = Promise.race([both, timeout]);
  waiting.catch(() => undefined);
  return waiting;
}

/** Emits a client command and resolves with its acknowledgement. */
export function ack<T = any>(socket: Socket, event: CommandName, payload: unknown, timeoutMs = 10_000): Promise<T> {
  return socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<T>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it holds; throws, naming `what`, if it does not within `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Long enough for a stray event to cross replicas through Redis, had it been sent. */
export const QUIET_MS = 750;

/** A socket with everything it received, in order: envelopes and the stream's control messages. */
export interface StreamSocket {
  socket: Socket;
  /** Every message received, as [event name, payload]. */
  received: Array<[string, any]>;
  /** Resolves with the first message named `event` (from the start of the connection). */
  first(event: string, timeoutMs?: number): Promise<any>;
}

/** Connects like connectSocket, recording every message from the first one on. */
export async function connectStream(url: string, namespace: NamespaceKey, token: string, resume?: RoomPositions): Promise<StreamSocket> {
  const received: Array<[string, any]> = [];
  const socket = await connectSocket(url, namespace, token, {
    resume,
    onSocket: (s) => s.onAny((event, payload) => received.push([event, payload])),
  });
  const first = async (event: string, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = received.find(([name]) => name === event);
      if (hit) return hit[1];
      if (Date.now() > deadline) throw new Error(`no ${event} within ${timeoutMs} ms`);
      await sleep(20);
    }
  };
  return { socket, received, first };
}
