import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMANDS, CONTROL_EVENTS, EVENTS, type RoomPositions } from '@retail/realtime-protocol';
import { createRealtimeClient, type RealtimeClient, type RealtimeClientOptions } from './realtime-client.js';

const R = 'workspace:0b9f3a3e-1d1c-4c57-9a51-5f3f0f4c2a10';
const S = 'workspace:1b9f3a3e-1d1c-4c57-9a51-5f3f0f4c2a10';
const at = (offset: number, epoch = 'e1') => ({ offset: String(offset), epoch });
const sale = (room: string, offset: number) => ({
  id: `${room}#${offset}`,
  type: EVENTS.posSaleCompleted.name,
  occurredAt: '2026-01-01T00:00:00.000Z',
  companyId: 'c',
  data: {},
  positions: { [room]: at(offset) },
});

/**
 * A stand-in for the server side of the contract, on loopback: every room holds `head` sales,
 * a connection gets session.ready, and a resume (handshake or in-band) replays from the given
 * offsets, then sends resume.ok. Tests add to it through `onConnection` and `refuse`.
 */
async function fakeServer(heads: Record<string, number>) {
  const http = createServer();
  const io = new Server(http);
  const namespace = io.of('/pos');
  const handshakes: { token?: string; resume?: RoomPositions }[] = [];
  const inBandResumes: RoomPositions[] = [];
  const refreshes: string[] = [];
  const server = {
    refuse: (_token: string | undefined): string | undefined => undefined,
    /** Answers auth.refresh: undefined accepts the token, a code refuses it. */
    refuseRefresh: (_token: string): string | undefined => undefined,
    refreshes,
    onConnection: (_socket: ServerSocket) => {},
    heads,
    handshakes,
    inBandResumes,
    url: '',
    current: () => [...namespace.sockets.values()].at(-1)!,
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
  const replay = (socket: ServerSocket, rooms: RoomPositions) => {
    for (const [room, { offset }] of Object.entries(rooms)) {
      for (let next = Number(offset) + 1; next <= heads[room]; next++) socket.emit(EVENTS.posSaleCompleted.name, sale(room, next));
    }
    const resumed = Object.fromEntries(Object.keys(rooms).map((room) => [room, at(heads[room])]));
    socket.emit(CONTROL_EVENTS.resumeOk.name, { rooms: resumed, refused: {} });
  };
  namespace.use((socket, next) => {
    handshakes.push(socket.handshake.auth);
    const code = server.refuse(socket.handshake.auth.token);
    next(code ? Object.assign(new Error('unauthorized'), { data: { code, message: code } }) : undefined);
  });
  namespace.on('connection', (socket) => {
    socket.emit(CONTROL_EVENTS.sessionReady.name, { rooms: { [R]: at(heads[R]) } });
    const resume: RoomPositions = socket.handshake.auth.resume ?? {};
    if (Object.keys(resume).length) replay(socket, resume);
    socket.on(COMMANDS.resume.name, ({ rooms }: { rooms: RoomPositions }, ack: (answer: object) => void) => {
      inBandResumes.push(rooms);
      ack({ ok: true });
      replay(socket, rooms);
    });
    socket.on(COMMANDS.subscribe.name, ({ room }: { room: string }, ack: (answer: object) => void) =>
      ack({ ok: true, room, position: at(heads[room]) }),
    );
    socket.on(COMMANDS.authRefresh.name, ({ token }: { token: string }, ack: (answer: object) => void) => {
      refreshes.push(token);
      const code = server.refuseRefresh(token);
      ack(code ? { ok: false, error: { code, message: code } } : { ok: true, expiresAt: expiryOf(token) });
    });
    server.onConnection(socket);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  server.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return server;
}

/** An unsigned JWT that expires `seconds` from now: the client only reads its exp. */
let minted = 0;
const jwtExpiringIn = (seconds: number) => {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${b64({ alg: 'HS256' })}.${b64({ sub: 'u', n: ++minted, exp: Math.floor(Date.now() / 1000) + seconds })}.sig`;
};
const expiryOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp as number;

let server: Awaited<ReturnType<typeof fakeServer>>;
let client: RealtimeClient;

function connect(options: Partial<RealtimeClientOptions> = {}) {
  const delivered: string[] = [];
  client = createRealtimeClient({
    url: server.url,
    namespace: 'pos',
    transports: ['websocket'],
    getToken: () => 'token',
    onError: () => {},
    reconnectDelayMs: { min: 10, max: 50 },
    ...options,
  });
  client.on(EVENTS.posSaleCompleted.name, (envelope) => delivered.push(envelope.id));
  return delivered;
}

afterEach(async () => {
  await client?.close();
  await server?.close();
});

describe('createRealtimeClient', () => {
  it('resumes from stored positions in the handshake, delivers replay then live events once each, and saves where it got to', async () => {
    server = await fakeServer({ [R]: 3 });
    server.onConnection = (socket) => {
      socket.emit(EVENTS.posSaleCompleted.name, sale(R, 3));
      socket.emit(EVENTS.posSaleCompleted.name, sale(R, 4));
    };
    const saved: RoomPositions[] = [];
    const delivered = connect({
      storage: { load: async () => ({ [R]: at(1) }), save: (positions) => void saved.push(positions) },
      saveThrottleMs: 10,
    });

    await vi.waitFor(() => expect(delivered).toEqual([`${R}#2`, `${R}#3`, `${R}#4`]));
    expect(server.handshakes[0]).toEqual({ token: 'token', resume: { [R]: at(1) } });
    await vi.waitFor(() => expect(saved.at(-1)).toEqual({ [R]: at(4) }));
  });

  it('resumes a gap seen while connected in-band and delivers the held events in offset order', async () => {
    server = await fakeServer({ [R]: 2 });
    const delivered = connect();
    await vi.waitFor(() => expect(client.positions()).toEqual({ [R]: at(2) }));

    server.heads[R] = 5;
    server.current().emit(EVENTS.posSaleCompleted.name, sale(R, 5));

    await vi.waitFor(() => expect(delivered).toEqual([`${R}#3`, `${R}#4`, `${R}#5`]));
    expect(server.inBandResumes).toEqual([{ [R]: at(2) }]);
  });

  it('reconnects after the server ends the session, with a fresh token once the old one is refused as expired', async () => {
    server = await fakeServer({ [R]: 2 });
    const tokens = ['first', 'expired', 'fresh'];
    server.refuse = (token) => (token === 'expired' ? 'token_expired' : undefined);
    connect({ getToken: () => tokens.shift() ?? 'later' });
    await vi.waitFor(() => expect(client.positions()).toEqual({ [R]: at(2) }));

    server.current().disconnect(true);

    await vi.waitFor(() => expect(server.handshakes.map((auth) => auth.token)).toEqual(['first', 'expired', 'fresh']));
    expect(server.handshakes[2].resume).toEqual({ [R]: at(2) });
  });

  it('retries, with backoff, a refusal that passes with time: the rate budget, a database outage', async () => {
    server = await fakeServer({ [R]: 0 });
    const refusals = ['rate_limited', 'database_unavailable'];
    server.refuse = () => refusals.shift();
    const onError = vi.fn();
    connect({ onError });

    await vi.waitFor(() => expect(server.handshakes).toHaveLength(3));
    await vi.waitFor(() => expect(client.positions()).toEqual({ [R]: at(0) }));
    expect(onError).not.toHaveBeenCalled();
  });

  it('stops and reports a refusal that a new token cannot fix', async () => {
    server = await fakeServer({ [R]: 0 });
    server.refuse = () => 'forbidden';
    const onError = vi.fn();
    connect({ onError });

    await vi.waitFor(() =>
      expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'connect_refused', details: { code: 'forbidden' } })),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.handshakes).toHaveLength(1);
  });

  it('tracks a subscribed room from its head, and resumes in-band a room it already has a position for', async () => {
    server = await fakeServer({ [R]: 0, [S]: 7 });
    const delivered = connect({ storage: { load: () => ({ [R]: at(0) }), save: () => {} } });
    await vi.waitFor(() => expect(server.handshakes).toHaveLength(1));

    await expect(client.subscribe(S)).resolves.toEqual({ room: S, position: at(7) });
    server.heads[R] = 1;
    await expect(client.subscribe(R)).resolves.toEqual({ room: R, position: at(0) });

    await vi.waitFor(() => expect(delivered).toEqual([`${R}#1`]));
    expect(server.inBandResumes).toEqual([{ [R]: at(0) }]);
  });

  it('refuses a handler for an event of another namespace, which it would never receive', async () => {
    server = await fakeServer({ [R]: 0 });
    connect();

    expect(() => client.on(EVENTS.inventoryMovementCreated.name, () => {})).toThrow(/not an event of the pos namespace/);
  });

  it('tells the app to reload a room the server cannot replay, and goes on from the new position', async () => {
    server = await fakeServer({ [R]: 2 });
    const onReset = vi.fn();
    const delivered = connect({ onReset });
    await vi.waitFor(() => expect(client.positions()).toEqual({ [R]: at(2) }));

    server.current().emit(CONTROL_EVENTS.resumeReset.name, { room: R, reason: 'retention_exceeded', position: at(40) });
    server.current().emit(EVENTS.posSaleCompleted.name, sale(R, 41));

    await vi.waitFor(() => expect(delivered).toEqual([`${R}#41`]));
    expect(onReset).toHaveBeenCalledWith(R, 'retention_exceeded');
  });

  it('hands the server a fresh token in band before the current one expires, on the same socket', async () => {
    server = await fakeServer({ [R]: 0 });
    const getToken = vi.fn(() => jwtExpiringIn(2));
    connect({ getToken });
    await vi.waitFor(() => expect(server.handshakes).toHaveLength(1));
    const first = server.handshakes[0].token!;

    await vi.waitFor(() => expect(server.refreshes).toHaveLength(2), { timeout: 5_000 });

    expect(server.handshakes).toHaveLength(1);
    expect(expiryOf(server.refreshes[0])).toBeGreaterThanOrEqual(expiryOf(first));
    expect(server.refreshes[0]).not.toBe(first);
    expect(server.refreshes[1]).not.toBe(server.refreshes[0]);
  });

  it('reports a refused refresh and reconnects with a fresh token once the server ends the session', async () => {
    server = await fakeServer({ [R]: 2 });
    server.refuseRefresh = () => 'token_mismatch';
    server.onConnection = (socket) => {
      if (server.handshakes.length === 1) setTimeout(() => socket.disconnect(true), 2_000);
    };
    const onError = vi.fn();
    connect({ getToken: () => jwtExpiringIn(2), onError });

    await vi.waitFor(() => expect(server.handshakes).toHaveLength(2), { timeout: 5_000 });
    expect(server.refreshes).toHaveLength(1);
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'command_failed', details: expect.objectContaining({ code: 'token_mismatch' }) }),
    );
    expect(server.handshakes[1].token).not.toBe(server.handshakes[0].token);
    expect(server.handshakes[1].resume).toEqual({ [R]: at(2) });
  });
});
