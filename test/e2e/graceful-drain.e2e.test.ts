import { afterAll, beforeAll, expect, it } from 'vitest';
import { Rooms } from '@retail/realtime-protocol';
import {
  allCaughtUp,
  api,
  connectPrisma,
  consecutive,
  createTestDatabase,
  demoIds,
  describeWithServices,
  login,
  openDashboard,
  productBySku,
  readMetrics,
  REDIS_TEST_URL,
  sellSteadily,
  sleep,
  startCluster,
  startHaproxy,
  startPrivateRedis,
  type Cluster,
  type Haproxy,
  type Replica,
  type TestDatabase,
} from '@retail/testing';

const DASHBOARDS = 120; // about 40 on each of 3 replicas
const DRAIN_SECONDS = 4;
const SHUTDOWN_TIMEOUT_MS = 15_000;
// Every dashboard is the one manager's: lift the per-user socket cap above their number, and the
// per-user budget their handshakes count against (they all reconnect within seconds).
const env = {
  DRAIN_SECONDS: String(DRAIN_SECONDS),
  SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  SOCKETS_PER_USER_MAX: String(DASHBOARDS),
  RATE_LIMIT_USER_PER_SECOND: '0',
};

const posSockets = async (replica: Replica) => (await readMetrics(replica.httpUrl))('realtime_sockets_connected{namespace="/pos"}');

describeWithServices(['postgres', 'redis', 'haproxy'], 'graceful drain: SIGTERM on a replica holding dashboards, behind HAProxy', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  let balancer: Haproxy;

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster({ replicas: 3, databaseUri: db.uri, redisUrl: REDIS_TEST_URL, env });
    balancer = await startHaproxy(cluster.replicas);
  });
  afterAll(async () => {
    await balancer?.stop();
    await cluster?.stop();
    await db?.drop();
  });

  it('turns unready, ends its sockets spread over the drain, finishes a slow request, exits 0; clients miss nothing', async () => {
    const ids = await demoIds(balancer.url);
    const manager = await login(balancer.url, 'manager@demo.local');
    const dashboards = Array.from({ length: DASHBOARDS }, () => openDashboard(balancer.url, 'pos', manager));
    await Promise.all(dashboards.map((d) => d.client.ready()));
    const [holding, ...survivors] = cluster.replicas;
    const held = await posSockets(holding);
    const survivorsHeld = await Promise.all(survivors.map(posSockets));
    expect(held).toBeGreaterThanOrEqual(30); // leastconn: about a third each
    const survivor = survivors[0];
    const cashier = await login(survivor.httpUrl, 'cashier1@demo.local', { deviceId: ids.centroDevice });
    const water = (await productBySku(survivor.httpUrl, cashier, 'WATER-500')).id;
    const sales = sellSteadily(survivor.httpUrl, cashier, water, 250);

    // A slow request on the stopping replica: a Norte checkout waiting on a stock row held here.
    const norteCashier = await login(holding.httpUrl, 'cashier2@demo.local', { deviceId: ids.norteDevice });
    const bread = await productBySku(holding.httpUrl, norteCashier, 'BREAD-LOAF');
    const cart = (await api(holding.httpUrl, 'POST', '/pos/carts', norteCashier, {})).body;
    await api(holding.httpUrl, 'PATCH', `/pos/carts/${cart.id}`, norteCashier, { items: [{ productId: bread.id, quantity: 1 }] });
    await api(holding.httpUrl, 'POST', `/pos/carts/${cart.id}/payments`, norteCashier, { method: 'CARD', amount: bread.price });
    const prisma = await connectPrisma(db.uri);
    let release!: () => void;
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holder = prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT quantity FROM "Stock" WHERE "workspaceId" = ${ids.norte}::uuid AND "productId" = ${bread.id}::uuid FOR UPDATE`;
        locked();
        await new Promise<void>((resolve) => (release = resolve));
      },
      { timeout: 60_000 },
    );
    await lockTaken;
    const slowCheckout = api(holding.httpUrl, 'POST', `/pos/carts/${cart.id}/checkout`, norteCashier);
    await sleep(2_000); // the checkout is waiting; a few sales go by
    const stoppedAt = Date.now();
    const exited = holding.stop(); // SIGTERM
    let unreadyAt: number | undefined;
    let endedWhenUnready = 0;
    while (unreadyAt === undefined) {
      const ready = await api(holding.httpUrl, 'GET', '/health/ready').catch(() => undefined);
      if (ready?.status === 503 && ready.body.code === 'shutting_down') {
        unreadyAt = Date.now();
        endedWhenUnready = dashboards.reduce((n, d) => n + d.ended.length, 0);
      }
    }
    // Held past the drain: the replica's shutdown waits for the request before it closes the database.
    await sleep(stoppedAt + DRAIN_SECONDS * 1000 + 1_500 - Date.now());
    release();
    await holder;
    await prisma.onApplicationShutdown();
    const checkout = await slowCheckout;
    const code = await exited;
    const exitedAfter = Date.now() - stoppedAt;

    await sleep(2_000); // sales after the stop, on the survivors
    const committed = await sales.stop();
    await allCaughtUp(dashboards, [...committed, checkout.body.id], 30_000);

    const ends = dashboards.flatMap((d) => d.ended).sort((x, y) => x.at - y.at);
    console.log(
      `unready ${unreadyAt - stoppedAt} ms after SIGTERM; ${ends.length} sessions ended over ${ends.at(-1)!.at - ends[0].at} ms; exit ${code} after ${exitedAfter} ms`,
    );
    expect(endedWhenUnready).toBeLessThan(held); // readiness turned before the drain was done
    expect(ends.map((e) => e.code)).toEqual(Array(held).fill('server_shutdown'));
    expect(ends.at(-1)!.at - ends[0].at).toBeGreaterThanOrEqual(1_000); // spread, not one burst
    expect(checkout.status).toBe(201);
    expect(code).toBe(0);
    expect(exitedAfter).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(committed.length).toBeGreaterThan(10);
    const sold = [...committed, checkout.body.id]; // the manager sees Norte too
    for (const d of dashboards) {
      expect(new Set(d.sales())).toEqual(new Set(sold));
      expect(d.sales()).toHaveLength(sold.length);
      expect(consecutive(d.offsets(Rooms.workspace(ids.centro)))).toBe(true);
    }
    // The drained dashboards reconnected to both survivors, not all to one.
    const gained = (await Promise.all(survivors.map(posSockets))).map((n, i) => n - survivorsHeld[i]);
    console.log(`the ${held} drained dashboards reconnected to the survivors: ${gained.join(' / ')}`);
    expect(gained.reduce((a, b) => a + b)).toBe(held);
    expect(gained.every((n) => n > 0)).toBe(true);
    await Promise.all(dashboards.map((d) => d.client.close()));
  });
});

describeWithServices(['postgres'], 'graceful drain while Redis is down', () => {
  it('still exits 0 within SHUTDOWN_TIMEOUT_MS', async () => {
    const db = await createTestDatabase();
    const redis = await startPrivateRedis();
    const cluster = await startCluster({ replicas: 1, databaseUri: db.uri, redisUrl: redis.url, env });
    try {
      const [replica] = cluster.replicas;
      const manager = await login(replica.httpUrl, 'manager@demo.local');
      const dashboards = Array.from({ length: 10 }, () => openDashboard(replica.wsUrl, 'pos', manager));
      await Promise.all(dashboards.map((d) => d.client.ready()));
      await redis.kill();
      await sleep(500);
      const stoppedAt = Date.now();
      const code = await replica.stop();
      const exitedAfter = Date.now() - stoppedAt;
      console.log(`Redis down: exit ${code} after ${exitedAfter} ms`);
      expect(code).toBe(0);
      expect(exitedAfter).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
      expect(dashboards.every((d) => d.ended.some((e) => e.code === 'server_shutdown'))).toBe(true);
      await Promise.all(dashboards.map((d) => d.client.close()));
    } finally {
      await cluster.stop();
      await redis.kill();
      await db.drop();
    }
  });
});
