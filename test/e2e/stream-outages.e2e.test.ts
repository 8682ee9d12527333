import { afterAll, beforeAll, expect, it } from 'vitest';
import { Rooms } from '@retail/realtime-protocol';
import {
  readMetrics,
  allCaughtUp,
  consecutive,
  createTestDatabase,
  demoIds,
  describeWithServices,
  login,
  openDashboard,
  productBySku,
  REDIS_TEST_URL,
  sellSteadily,
  sleep,
  startCluster,
  startNginx,
  startPrivateRedis,
  type Cluster,
  type Dashboard,
  type Nginx,
  type PrivateRedis,
  type TestDatabase,
} from '@retail/testing';

function expectEverySaleOnceInRoomOrder(dashboards: Dashboard[], committed: string[], room: string) {
  for (const d of dashboards) {
    expect(new Set(d.sales())).toEqual(new Set(committed));
    expect(d.sales()).toHaveLength(committed.length);
    expect(consecutive(d.offsets(room))).toBe(true);
  }
}

describeWithServices(['postgres', 'redis', 'nginx'], 'streams: a replica dies behind nginx', () => {
  const DASHBOARDS = 200;
  let db: TestDatabase;
  let cluster: Cluster;
  let nginx: Nginx;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Every dashboard is the one manager's, and a killed replica's socket slots are only freed
    // when they expire: lift the per-user socket cap well above their number, and the per-user
    // budget their handshakes count against.
    cluster = await startCluster({
      replicas: 3,
      databaseUri: db.uri,
      redisUrl: REDIS_TEST_URL,
      env: { SOCKETS_PER_USER_MAX: String(DASHBOARDS * 5), RATE_LIMIT_USER_PER_SECOND: '0' },
    });
    nginx = await startNginx(cluster.replicas);
  });
  afterAll(async () => {
    await nginx?.stop();
    await cluster?.stop();
    await db?.drop();
  });

  it('every dashboard ends with every committed sale once, in room order, resumed within 10 s of a kill -9', async () => {
    const ids = await demoIds(nginx.url);
    const room = Rooms.workspace(ids.centro);
    const manager = await login(nginx.url, 'manager@demo.local');
    const dashboards = Array.from({ length: DASHBOARDS }, () => openDashboard(nginx.url, 'pos', manager));
    await Promise.all(dashboards.map((d) => d.client.ready()));

    // nginx pins one address to one replica: the one holding the dashboards is the one to kill.
    const holding = await replicaWithSockets(cluster);
    const survivor = cluster.replicas.find((r) => r !== holding)!;
    const cashier = await login(survivor.httpUrl, 'cashier1@demo.local', { deviceId: ids.centroDevice });
    const water = (await productBySku(survivor.httpUrl, cashier, 'WATER-500')).id;
    const sales = sellSteadily(survivor.httpUrl, cashier, water, 250);

    await sleep(3_000);
    holding.process.kill('SIGKILL');
    const killedAt = Date.now();
    // Resumed: holding every sale committed before the kill and one committed after it, live.
    const before = sales.committed.length;
    while (sales.committed.length === before) await sleep(20);
    const resumedIn = Date.now() - killedAt + (await allCaughtUp(dashboards, sales.committed.slice(0, before + 1), 15_000));
    await sleep(2_000);
    const committed = await sales.stop();
    await allCaughtUp(dashboards, committed, 20_000);

    console.log(`${DASHBOARDS} dashboards, ${committed.length} sales: all resumed ${resumedIn} ms after the kill`);
    expect(committed.length).toBeGreaterThan(10);
    expect(resumedIn).toBeLessThan(10_000);
    expectEverySaleOnceInRoomOrder(dashboards, committed, room);
    await Promise.all(dashboards.map((d) => d.client.close()));
  });
});

describeWithServices(['postgres'], 'streams: Redis restarts mid-stream', () => {
  let db: TestDatabase;
  let redis: PrivateRedis;
  let cluster: Cluster;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = await startPrivateRedis();
    cluster = await startCluster({ replicas: 2, databaseUri: db.uri, redisUrl: redis.url });
  });
  afterAll(async () => {
    await cluster?.stop();
    await redis?.kill();
    await db?.drop();
  });

  it('leaves every client holding every committed event, with no gap', async () => {
    const [a, b] = cluster.replicas;
    const ids = await demoIds(a.httpUrl);
    const room = Rooms.workspace(ids.centro);
    const manager = await login(a.httpUrl, 'manager@demo.local');
    const dashboards = [a, b, a, b, a, b].map((r) => openDashboard(r.wsUrl, 'pos', manager));
    await Promise.all(dashboards.map((d) => d.client.ready()));
    const cashier = await login(a.httpUrl, 'cashier1@demo.local', { deviceId: ids.centroDevice });
    const water = (await productBySku(a.httpUrl, cashier, 'WATER-500')).id;
    const sales = sellSteadily(a.httpUrl, cashier, water, 300);

    await sleep(2_000);
    await redis.kill();
    await sleep(3_000);
    await redis.start();
    await sleep(4_000);
    const committed = await sales.stop();
    await allCaughtUp(dashboards, committed, 20_000);

    expect(committed.length).toBeGreaterThan(10);
    expectEverySaleOnceInRoomOrder(dashboards, committed, room);
    await Promise.all(dashboards.map((d) => d.client.close()));
  });
});

/** The replica with the most /pos sockets, read from each replica's own metrics. */
async function replicaWithSockets(cluster: Cluster) {
  const counts = await Promise.all(
    cluster.replicas.map(async (r) => (await readMetrics(r.httpUrl))('realtime_sockets_connected{namespace="/pos"}')),
  );
  return cluster.replicas[counts.indexOf(Math.max(...counts))];
}
