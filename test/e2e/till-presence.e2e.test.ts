import { afterAll, beforeAll, expect, it } from 'vitest';
import { COMMANDS, EVENTS, Rooms } from '@retail/realtime-protocol';
import {
  ack,
  api,
  connectSocket,
  createTestDatabase,
  describeWithServices,
  login,
  QUIET_MS,
  record,
  REDIS_TEST_URL,
  sleep,
  startCluster,
  startReplica,
  storeWithTills,
  until,
  type Cluster,
  type Replica,
  type TestDatabase,
  type TestEnvelope,
} from '@retail/testing';
import type { Socket } from 'socket.io-client';

const STATUS = EVENTS.posDeviceStatus.name;
const GRACE_SECONDS = 3;
const ENV = { PRESENCE_GRACE_SECONDS: String(GRACE_SECONDS), SOCKETS_PER_USER_MAX: '1000', RATE_LIMIT_USER_PER_SECOND: '0' };
const MANY_TILLS = 200;

describeWithServices(['postgres', 'redis'], 'till presence across replicas', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  let a: string;
  let admin: string;
  const sockets: Socket[] = [];
  const extra: Replica[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster({ replicas: 2, databaseUri: db.uri, redisUrl: REDIS_TEST_URL, env: ENV });
    a = cluster.replicas[0].httpUrl;
    admin = await login(a, 'admin@demo.local');
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all(extra.map((r) => r.stop()));
    await cluster?.stop();
    await db?.drop();
  });

  const newStore = (count: number) => storeWithTills(a, admin, db.uri, count);

  /** A store dashboard on replica B, recording till status changes. */
  async function dashboard(workspaceId: string, url = cluster.replicas[1].wsUrl) {
    const socket = await connectSocket(url, 'pos', admin);
    sockets.push(socket);
    const seen = record(socket, STATUS);
    await ack(socket, 'subscribe', { room: Rooms.workspace(workspaceId) });
    return seen;
  }

  const connectTill = async (url: string, token: string, appVersion = '1.2.3') => {
    const socket = await connectSocket(url, 'pos', token, { auth: { appVersion } });
    sockets.push(socket);
    return socket;
  };
  const devices = async (workspaceId: string) => (await api(a, 'GET', `/workspaces/${workspaceId}/devices`, admin)).body as any[];
  const of = (seen: TestEnvelope[], deviceId: string) => seen.filter((e) => e.data.deviceId === deviceId).map((e) => e.data.status);

  it('shows a till online within 2 s on a dashboard on another replica, with what it reports, and offline after the grace', async () => {
    const { store, tills } = await newStore(1);
    const [till] = tills;
    const seen = await dashboard(store);
    expect((await devices(store))[0].presence).toMatchObject({ status: 'offline', since: null });

    const socket = await connectTill(cluster.replicas[0].wsUrl, till.token);
    await until('online on the dashboard', () => of(seen, till.id).includes('online'), 2_000);
    expect(seen[0].data).toMatchObject({ workspaceId: store, status: 'online', pendingSales: null });
    const oldest = new Date(Date.now() - 60_000).toISOString();
    expect(await ack(socket, COMMANDS.posDeviceReport.name, { pendingSales: 4, oldestPendingAt: oldest, catalogVersion: 0 })).toEqual({
      ok: true,
    });
    expect((await ack(socket, COMMANDS.posDeviceReport.name, { pendingSales: -1 })).ok).toBe(false);
    expect((await devices(store))[0].presence).toMatchObject({
      status: 'online',
      appVersion: '1.2.3',
      pendingSales: 4,
      oldestPendingAt: oldest,
      catalogVersion: 0,
      catalogStale: false,
    });
    const rows = (await api(cluster.replicas[1].httpUrl, 'GET', '/workspaces/presence', admin)).body;
    expect(rows.find((r: { workspaceId: string }) => r.workspaceId === store)).toEqual({
      workspaceId: store,
      open: true,
      devices: 1,
      online: 1,
      offline: 0,
      pendingSales: 4,
    });

    socket.close();
    await until('offline after the grace', () => of(seen, till.id).includes('offline'), (GRACE_SECONDS + 10) * 1000);
    expect(of(seen, till.id)).toEqual(['online', 'offline']);
    expect((await devices(store))[0].presence).toMatchObject({ status: 'offline', pendingSales: 4 });
  });

  it('sends nothing for a reconnect within the grace, nor for two sockets of one till', async () => {
    const { store, tills } = await newStore(1);
    const [till] = tills;
    const seen = await dashboard(store);
    const first = await connectTill(cluster.replicas[0].wsUrl, till.token);
    await until('online', () => of(seen, till.id).length === 1);
    const second = await connectTill(cluster.replicas[1].wsUrl, till.token);
    first.close();
    await sleep(500);
    second.close();
    await connectTill(cluster.replicas[1].wsUrl, till.token);
    await sleep((GRACE_SECONDS + 4) * 1000);
    expect(of(seen, till.id)).toEqual(['online']);
    expect((await devices(store))[0].presence.status).toBe('online');
  });

  it('shows a till offline within 60 s once its replica is killed with kill -9, and no ghost after a restart', async () => {
    const { store, tills } = await newStore(1);
    const [till] = tills;
    const env = { DATABASE_URI: db.uri, REDIS_URL: REDIS_TEST_URL, REDIS_KEY_PREFIX: cluster.redisPrefix, ...ENV };
    const doomed = await startReplica('replica-doomed', env);
    extra.push(doomed);
    const seen = await dashboard(store, cluster.replicas[0].wsUrl);
    await connectTill(doomed.wsUrl, till.token);
    await until('online', () => of(seen, till.id).includes('online'));

    doomed.process.kill('SIGKILL');
    await until('offline without its replica', () => of(seen, till.id).includes('offline'), 60_000);
    // A replica started in its place (a restart) brings no ghost back.
    const restarted = await startReplica('replica-restarted', env);
    extra.push(restarted);
    await sleep((GRACE_SECONDS + 3) * 1000);
    expect(of(seen, till.id)).toEqual(['online', 'offline']);
    expect((await devices(store))[0].presence.status).toBe('offline');
  }, 120_000);

  it(`${MANY_TILLS} tills connected for 30 s produce exactly ${MANY_TILLS} online events and no others`, async () => {
    const { store, tills } = await newStore(MANY_TILLS);
    const seen = await dashboard(store);
    await Promise.all(tills.map((till, i) => connectTill(cluster.replicas[i % 2].wsUrl, till.token)));
    await sleep(30_000);
    await sleep(QUIET_MS);
    expect(seen.filter((e) => e.data.status === 'online')).toHaveLength(MANY_TILLS);
    expect(new Set(seen.map((e) => e.data.deviceId)).size).toBe(MANY_TILLS);
    expect(seen).toHaveLength(MANY_TILLS);
    const row = (await api(a, 'GET', '/workspaces/presence', admin)).body.find((r: { workspaceId: string }) => r.workspaceId === store);
    expect(row).toMatchObject({ devices: MANY_TILLS, online: MANY_TILLS, offline: 0 });
  }, 180_000);
});
