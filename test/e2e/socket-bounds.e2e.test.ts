import { Redis } from 'ioredis';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { COMMANDS, CONTROL_EVENTS, EVENTS, NAMESPACES, Rooms, type EventName } from '@retail/realtime-protocol';
import {
  ack,
  api,
  connectSocket,
  createTestDatabase,
  decodeClaims,
  demoIds,
  describeWithServices,
  freePort,
  login,
  memoryProbeEnv,
  probedMemory,
  readMetrics,
  REDIS_TEST_URL,
  sleep,
  startCluster,
  until,
  type Cluster,
  type TestDatabase,
} from '@retail/testing';

// Replica A: no rate limits (it takes hundreds of handshakes), few sockets per user, a replay cap.
const SOCKET_CAP = 25;
const REPLAY_CAP = 40_000;
const HELD_CAP = 10;
// Replica B: the per-user budget the flood runs into, 20 a second over the 5 s window.
const USER_PER_SECOND = 20;
const USER_WINDOW_BUDGET = USER_PER_SECOND * 5;

// The resume storm: 20 sockets of one admin each resume 200 store rooms of 25 events of ~2 KB.
const STORES = 200;
const EVENTS_PER_STORE = 25;
const RESUMING_SOCKETS = 20;
// What the replica's heap may grow by while it replays, garbage collected. Before replays were
// bounded (a page of each room held at once, every replay at the same time) it grew 300 MB.
const HEAP_GROWTH_MAX_MB = 80;

/**
 * Opens an engine.io connection by hand, asks for `/pos` with the token, and drops the TCP
 * connection at once: the server gets the namespace request and the close together, so the close
 * lands while the handshake middleware is still running.
 */
function abortedHandshake(wsUrl: string, token: string): Promise<void> {
  const ws = new WebSocket(`${wsUrl.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
  return new Promise((resolve, reject) => {
    ws.on('message', (raw) => {
      if (!raw.toString().startsWith('0')) return;
      ws.send(`40${NAMESPACES.pos.path},${JSON.stringify({ token })}`);
      ws.terminate();
    });
    ws.on('close', () => resolve());
    ws.on('error', reject);
  });
}

describeWithServices(['postgres', 'redis'], 'sockets bounded per user and per company', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  let redis: Redis;
  let probe: number;
  const sockets: Socket[] = [];
  const replica = (i: number) => cluster.replicas[i];
  const keep = (socket: Socket) => (sockets.push(socket), socket);

  beforeAll(async () => {
    db = await createTestDatabase();
    probe = await freePort();
    cluster = await startCluster({
      replicas: 2,
      databaseUri: db.uri,
      redisUrl: REDIS_TEST_URL,
      replicaEnv: (i): Record<string, string> =>
        i === 0
          ? {
              SOCKETS_PER_USER_MAX: String(SOCKET_CAP),
              RATE_LIMIT_USER_PER_SECOND: '0',
              RATE_LIMIT_COMPANY_PER_SECOND: '0',
              REPLAY_EVENTS_PER_USER_PER_MINUTE: String(REPLAY_CAP),
              SOCKET_MAX_HELD_EVENTS: String(HELD_CAP),
              // Out of the way: the stalled client below must be ended for what it holds, not for what it buffers.
              SOCKET_MAX_BUFFERED_BYTES: String(256 * 2 ** 20),
              ...memoryProbeEnv(probe),
            }
          : { RATE_LIMIT_USER_PER_SECOND: String(USER_PER_SECOND), RATE_LIMIT_COMPANY_PER_SECOND: '0' },
    });
    redis = new Redis(REDIS_TEST_URL);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    redis?.disconnect();
    await cluster?.stop();
    await db?.drop();
  });

  it('300 aborted handshakes leave no socket slot taken: a normal connect works after them', async () => {
    const { httpUrl, wsUrl } = replica(0);
    const token = await login(httpUrl, 'manager@demo.local');
    const slots = `${cluster.redisPrefix}:{sockets}:${NAMESPACES.pos.path}:${decodeClaims(token).sub}`;
    for (let batch = 0; batch < 30; batch++) {
      await Promise.all(Array.from({ length: 10 }, () => abortedHandshake(wsUrl, token)));
    }
    await until('every slot released', async () => (await redis.zcard(slots)) === 0, 10_000);
    const all = await Promise.all(Array.from({ length: SOCKET_CAP }, () => connectSocket(wsUrl, 'pos', token)));
    expect(all.every((s) => s.connected)).toBe(true);
    expect(await redis.zcard(slots)).toBe(SOCKET_CAP);
    all.forEach((s) => s.close());
  });

  it('50 sockets of one user flooding commands stay inside the per-user budget, which REST and handshakes share', async () => {
    const { httpUrl, wsUrl } = replica(1);
    const token = await login(httpUrl, 'staff@demo.local');
    const ids = await demoIds(replica(0).httpUrl);
    const flooding = await Promise.all(Array.from({ length: 50 }, () => connectSocket(wsUrl, 'inventory', token).then(keep)));
    // The handshakes counted too: start the flood in a fresh window, so that it is all one window.
    const counter = `${cluster.redisPrefix}:rate:user:${decodeClaims(token).sub}`;
    await until('a fresh window', async () => (await redis.exists(counter)) === 0, 10_000);

    const room = Rooms.workspace(ids.centro);
    const acks = await Promise.all(flooding.flatMap((s) => Array.from({ length: 10 }, () => ack(s, COMMANDS.subscribe.name, { room }))));

    expect(acks.filter((a) => a.ok)).toHaveLength(USER_WINDOW_BUDGET);
    expect(acks.filter((a) => a.error?.code === 'rate_limited')).toHaveLength(acks.length - USER_WINDOW_BUDGET);
    expect(await api(httpUrl, 'GET', '/auth/me', token)).toMatchObject({ status: 429, body: { code: 'rate_limited' } });
    await expect(connectSocket(wsUrl, 'inventory', token)).rejects.toMatchObject({ data: { code: 'rate_limited' } });
  });

  it('refuses every connection to the root namespace /', async () => {
    const { httpUrl, wsUrl } = replica(0);
    const token = await login(httpUrl, 'admin@demo.local');
    for (const auth of [{}, { token }]) {
      const socket = io(wsUrl, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
      const refusal = await new Promise<{ message: string; data?: { code: string } }>((resolve) => {
        socket.once('connect', () => resolve({ message: 'connected' }));
        socket.once('connect_error', resolve);
      });
      socket.close();
      expect(refusal).toMatchObject({ message: 'unauthorized', data: { code: 'namespace_refused' } });
    }
  });

  it('a resume of 200 rooms by 20 sockets at once: one replay per socket at a time, the replay cap, and bounded memory', async () => {
    const { httpUrl, wsUrl } = replica(0);
    const admin = await login(httpUrl, 'admin@demo.local');
    const stores = await createStores(db.uri, decodeClaims(admin).companyId);
    const rooms = await withHistory(db.uri, EVENTS.posDailyTotalsUpdated.name, stores.map(Rooms.workspace), EVENTS_PER_STORE);
    const halves = [rooms.slice(0, STORES / 2), rooms.slice(STORES / 2)];
    const firstHalf = new Set(halves[0].map(({ room }) => room));
    const positions = (half: typeof rooms) => Object.fromEntries(half.map(({ room, epoch }) => [room, { offset: '0', epoch }]));

    // Every message of every socket, in order: a replayed event is labelled by the half of the rooms it belongs to.
    const received = Array.from({ length: RESUMING_SOCKETS }, () => [] as string[]);
    const resets: string[] = [];
    const resumers = await Promise.all(
      received.map((log) =>
        connectSocket(wsUrl, 'pos', admin, {
          onSocket: (s) => {
            s.on(EVENTS.posDailyTotalsUpdated.name, (e) => log.push(firstHalf.has(Object.keys(e.positions)[0]) ? 'A' : 'B'));
            s.on(CONTROL_EVENTS.resumeOk.name, () => log.push('ok'));
            s.on(CONTROL_EVENTS.resumeReset.name, (reset) => (resets.push(reset.reason), log.push('reset')));
          },
        }).then(keep),
      ),
    );

    const heap = async () => (await probedMemory(probe)).heapUsed;
    const before = await heap();
    let peak = before;
    let replaying = true;
    const sampling = (async () => {
      while (replaying) {
        peak = Math.max(peak, await heap());
        await sleep(250);
      }
    })();
    // Each socket resumes its 200 rooms as the client library sends more than one batch: two commands at once.
    const answers = await Promise.all(
      resumers.flatMap((s) => halves.map((half) => ack(s, COMMANDS.resume.name, { rooms: positions(half) }))),
    );
    expect(answers.every((a) => a.ok)).toBe(true);
    await until('every replay over', () => received.every((log) => log.filter((m) => m === 'ok').length === 2), 120_000);
    replaying = false;
    await sampling;

    for (const log of received) {
      // One replay at a time: the first half's events all come before its resume.ok, the second's after.
      const firstOk = log.indexOf('ok');
      const events = (from: number, to: number) => new Set(log.slice(from, to).filter((m) => m === 'A' || m === 'B'));
      expect(events(0, firstOk).size).toBeLessThanOrEqual(1);
      expect(events(firstOk, log.length).size).toBeLessThanOrEqual(1);
    }
    const replayed = received.flat().filter((m) => m === 'A' || m === 'B').length;
    // Every room is either replayed whole or reset: the user's replay cap holds across all 20 sockets.
    expect(replayed + resets.length * EVENTS_PER_STORE).toBe(RESUMING_SOCKETS * STORES * EVENTS_PER_STORE);
    expect(replayed).toBe(REPLAY_CAP);
    expect(new Set(resets)).toEqual(new Set(['replay_limited']));
    expect((peak - before) / 2 ** 20).toBeLessThan(HEAP_GROWTH_MAX_MB);
  });

  it('ends, slow_consumer, a socket whose replay stalls while more than SOCKET_MAX_HELD_EVENTS live events wait for it', async () => {
    const { httpUrl, wsUrl } = replica(0);
    const [admin, manager] = await Promise.all([login(httpUrl, 'admin@demo.local'), login(httpUrl, 'manager@demo.local')]);
    const company = Rooms.company(decodeClaims(manager).companyId);
    // ~20 MB of history: more than the loopback socket buffers take, so the replay waits for a reader that never reads.
    const [{ epoch }] = await withHistory(db.uri, EVENTS.systemInfo.name, [company], 10_000);
    const metric = async (series: string) => (await readMetrics(httpUrl))(`${series}{namespace="${NAMESPACES.notifications.path}"}`);
    const connected = await metric('realtime_sockets_connected');
    const stop = await stalledResume(wsUrl, manager, { [company]: { offset: '0', epoch } });
    try {
      await until('the stalled socket connected', async () => (await metric('realtime_sockets_connected')) === connected + 1);
      for (let i = 0; i <= HELD_CAP; i++) {
        expect((await api(httpUrl, 'POST', '/notifications', admin, { title: `Live ${i}`, message: 'held' })).status).toBe(201);
      }
      await until('the socket ended', async () => (await metric('realtime_sockets_connected')) === connected);
      expect(await metric('realtime_slow_consumer_disconnects_total')).toBe(1);
    } finally {
      stop();
    }
  });
});

/**
 * A raw client that connects to `/notifications` resuming `resume`, then never reads again (its TCP
 * socket paused): the server's writes back up. Resolves with what closes it.
 */
function stalledResume(wsUrl: string, token: string, resume: Record<string, { offset: string; epoch: string }>): Promise<() => void> {
  const ws = new WebSocket(`${wsUrl.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
  return new Promise((resolve, reject) => {
    ws.on('message', (raw) => {
      if (!raw.toString().startsWith('0')) return;
      ws.send(`40${NAMESPACES.notifications.path},${JSON.stringify({ token, resume })}`);
      // ws keeps its TCP socket as `_socket`; its types leave it out.
      (ws as unknown as { _socket: { pause(): void } })._socket.pause();
      resolve(() => ws.terminate());
    });
    ws.on('error', reject);
  });
}

/** Runs `work` on a connection to the test database. */
async function withDatabase<T>(uri: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: uri });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** STORES new stores of the company; answers their ids. */
async function createStores(uri: string, companyId: string): Promise<string[]> {
  const { rows } = await withDatabase(uri, (client) =>
    client.query<{ id: string }>(
      `INSERT INTO "Workspace" (id, "companyId", name) SELECT gen_random_uuid(), $1, 'Replay store ' || n FROM generate_series(1, $2::int) n RETURNING id`,
      [companyId, STORES],
    ),
  );
  return rows.map((row) => row.id);
}

/**
 * `count` events of ~2 KB in each room's stream, interleaved: written into the outbox as a commit
 * would, then given their offsets by the relay. Answers each room's epoch.
 */
async function withHistory(uri: string, type: EventName, rooms: string[], count: number) {
  const namespace = NAMESPACES[Object.values(EVENTS).find((event) => event.name === type)!.namespace].path;
  return withDatabase(uri, async (client) => {
    await client.query(
      `INSERT INTO realtime_event (id, namespace, rooms, envelope)
       SELECT e.id, $1, ARRAY[e.room], jsonb_build_object(
         'id', e.id, 'type', $2::text, 'occurredAt', now(), 'data', jsonb_build_object('pad', repeat('x', 2000)))
       FROM (SELECT gen_random_uuid() AS id, r AS room FROM unnest($3::text[]) r, generate_series(1, $4::int) n ORDER BY n, r) e`,
      [namespace, type, rooms, count],
    );
    const relayed = async () =>
      Number((await client.query(`SELECT count(*) AS n FROM realtime_event WHERE relay_seq IS NULL`)).rows[0].n) === 0;
    await until('the relay gave every event its offset', relayed, 60_000);
    const { rows } = await client.query<{ room: string; epoch: string }>(
      `SELECT room, epoch FROM realtime_stream WHERE namespace = $1 AND room = ANY($2::text[])`,
      [namespace, rooms],
    );
    return rows;
  });
}
