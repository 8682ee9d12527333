import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  api,
  connectPrisma,
  createTestDatabase,
  demoIds,
  describeWithServices,
  login,
  productBySku,
  sleep,
  startCluster,
  startPrivateRedis,
  startReplica,
  until,
  type Cluster,
  type PrivateRedis,
  type Replica,
  type TestDatabase,
} from '@retail/testing';

const SWEEP_INTERVAL_MS = 500;
const FAST_MS = 1_000;

describeWithServices(['postgres'], 'Redis outage (a private redis-server, killed and restarted)', () => {
  let db: TestDatabase;
  let prisma: Awaited<ReturnType<typeof connectPrisma>>;
  let redis: PrivateRedis;
  let cluster: Cluster;
  let late: Replica | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = await connectPrisma(db.uri);
    redis = await startPrivateRedis();
    cluster = await startCluster({
      replicas: 1,
      databaseUri: db.uri,
      redisUrl: redis.url,
      env: { ALERT_SWEEP_INTERVAL_MS: String(SWEEP_INTERVAL_MS) },
    });
  });
  afterAll(async () => {
    await late?.stop();
    await cluster?.stop();
    await redis?.kill();
    await prisma?.onApplicationShutdown();
    await db?.drop();
  });

  /** An API call that must answer; a hang fails it. */
  const served = (...args: Parameters<typeof api>) => api(args[0], args[1], args[2], args[3], args[4], { timeoutMs: 5_000 });
  /** An API call that must answer, whatever it answers, within FAST_MS. */
  const fast = async (...args: Parameters<typeof api>) => {
    const started = Date.now();
    const response = await served(...args);
    expect(Date.now() - started, `${args[1]} ${args[2]}`).toBeLessThan(FAST_MS);
    return response;
  };
  const expiredLot = async (ids: Awaited<ReturnType<typeof demoIds>>, productId: string) =>
    prisma.stockLot.create({ data: { workspaceId: ids.centro, productId, quantity: 1, expiresAt: new Date(Date.now() - 60_000) } });
  const alerted = (lotId: string) => prisma.notification.count({ where: { dedupKey: `EXPIRED:${lotId}` } });

  it('answers logins and REST within a second, starts a replica, and sweeps again once Redis is back', async () => {
    const a = cluster.replicas[0].httpUrl;
    const ids = await demoIds(a);
    const manager = await login(a, 'manager@demo.local');
    const bread = await productBySku(a, manager, 'BREAD-LOAF');
    const before = await expiredLot(ids, bread.id);
    await until('a sweep with Redis up', async () => (await alerted(before.id)) === 1);

    await redis.kill();
    // The login limiter fails open at once: failures are not counted, and the right password still works.
    for (let i = 0; i < 6; i++) {
      const wrong = await fast(a, 'POST', '/auth/login', undefined, { email: 'cashier1@demo.local', password: 'wrong' });
      expect(wrong.status).toBe(401);
    }
    const right = await fast(a, 'POST', '/auth/login', undefined, { email: 'cashier1@demo.local', password: 'demo1234' });
    expect(right.status).toBe(200);
    expect((await fast(a, 'GET', '/inventory/products?limit=5', manager)).status).toBe(200);
    const moved = await fast(a, 'POST', '/inventory/movements', manager, {
      type: 'IN',
      workspaceId: ids.centro,
      productId: bread.id,
      quantity: 2,
    });
    expect(moved.status).toBe(201);
    const ready = await fast(a, 'GET', '/health/ready');
    expect(ready).toMatchObject({
      status: 200,
      body: { status: 'degraded', details: { database: { status: 'up' }, redis: { status: 'degraded' } } },
    });

    // A replica started now boots and serves REST without Redis.
    late = await startReplica('late', {
      DATABASE_URI: db.uri,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: cluster.redisPrefix,
      ALERT_SWEEP_INTERVAL_MS: String(SWEEP_INTERVAL_MS),
    });
    // (Not timed: a fresh process's first requests are slow for reasons of their own.)
    const lateLogin = await served(late.httpUrl, 'POST', '/auth/login', undefined, { email: 'manager@demo.local', password: 'demo1234' });
    expect(lateLogin.status).toBe(200);
    const stock = await served(
      late.httpUrl,
      'GET',
      `/inventory/stock?workspaceId=${ids.centro}&productId=${bread.id}`,
      lateLogin.body.accessToken,
    );
    expect(stock.status).toBe(200);

    expect(await late.stop()).toBe(0); // and shuts down cleanly without it

    // No sweep runs without Redis (they are scheduled there, once per cluster) ...
    const during = await expiredLot(ids, bread.id);
    await sleep(SWEEP_INTERVAL_MS * 4);
    expect(await alerted(during.id)).toBe(0);

    // ... and Redis comes back empty, the schedule lost: the replica that lived through the outage
    // re-creates it, and sweeps run again.
    await redis.start();
    await until('a sweep after Redis is back', async () => (await alerted(during.id)) === 1);
    await until('ready with Redis', async () => (await api(a, 'GET', '/health/ready')).body?.details?.redis?.status === 'up');
  });
});
