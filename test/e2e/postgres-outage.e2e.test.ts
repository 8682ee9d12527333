import { randomUUID } from 'node:crypto';
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
  REDIS_TEST_URL,
  startCluster,
  startPrivatePostgres,
  type ApiResponse,
  type Cluster,
  type PrivatePostgres,
  type TestDatabase,
} from '@retail/testing';

const ANSWER_WITHIN_MS = 2_000;

describeWithServices(['redis'], 'PostgreSQL outage (a private server, stopped and started)', () => {
  let pg: PrivatePostgres;
  let db: TestDatabase;
  let cluster: Cluster;
  let prisma: Awaited<ReturnType<typeof connectPrisma>>;

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    db = await createTestDatabase({ adminUri: pg.adminUri });
    prisma = await connectPrisma(db.uri); // for assertions; its pool reconnects once the server is back
    cluster = await startCluster({ replicas: 1, databaseUri: db.uri, redisUrl: REDIS_TEST_URL });
  });
  afterAll(async () => {
    await cluster?.stop();
    await prisma?.onApplicationShutdown();
    await db?.drop();
    await pg?.destroy();
  });

  /** An API call that must answer (a hang fails it). */
  const send = (...args: Parameters<typeof api>) => api(args[0], args[1], args[2], args[3], args[4], { ...args[5], timeoutMs: 10_000 });
  /** The answer of `request`, which must come within ANSWER_WITHIN_MS, whatever it is. */
  const quickly = async (what: string, request: () => Promise<ApiResponse>) => {
    const started = Date.now();
    const response = await request();
    expect(Date.now() - started, what).toBeLessThan(ANSWER_WITHIN_MS);
    return response;
  };
  const unavailable = { status: 503, body: { code: 'database_unavailable' } };

  it('answers 503 database_unavailable within 2 s while it is down, writes nothing by halves, and recovers by itself', async () => {
    const a = cluster.replicas[0].httpUrl;
    const ids = await demoIds(a);
    const manager = await login(a, 'manager@demo.local');
    const cashier = await login(a, 'cashier1@demo.local', { deviceId: ids.centroDevice });
    const water = await productBySku(a, manager, 'WATER-500');
    const stockRow = { workspaceId: ids.centro, productId: water.id };
    const stockNow = async () => Number((await prisma.stock.findUniqueOrThrow({ where: { workspaceId_productId: stockRow } })).quantity);
    const inMovements = () => prisma.inventoryMovement.count({ where: { ...stockRow, type: 'IN' } });
    const [water0, moves0] = [await stockNow(), await inMovements()];
    const cart = (await api(a, 'POST', '/pos/carts', cashier, {})).body;
    await api(a, 'PATCH', `/pos/carts/${cart.id}`, cashier, { items: [{ productId: water.id, quantity: 1 }] });
    await api(a, 'POST', `/pos/carts/${cart.id}/payments`, cashier, { method: 'CARD', amount: water.price });

    // Deliveries of one unit each and a checkout, each with its own key, as tills send them.
    const keys = Array.from({ length: 9 }, () => randomUUID());
    const checkoutKey = randomUUID();
    const withKey = (key: string) => ({ headers: { 'idempotency-key': key } });
    const deliver = (key: string) =>
      send(a, 'POST', '/inventory/movements', manager, { ...stockRow, type: 'IN', quantity: 1 }, withKey(key));
    const checkout = () => send(a, 'POST', `/pos/carts/${cart.id}/checkout`, cashier, undefined, withKey(checkoutKey));
    expect((await Promise.all(keys.slice(0, 4).map(deliver))).map((r) => r.status)).toEqual([201, 201, 201, 201]);

    // Caught mid-transaction: the stock row is held, so these wait half-done (the checkout has
    // completed its cart and written its sale) when PostgreSQL stops.
    let release!: () => void;
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holder = prisma
      .$transaction(async (tx) => {
        await tx.$queryRaw`SELECT quantity FROM "Stock" WHERE "workspaceId" = ${ids.centro}::uuid AND "productId" = ${water.id}::uuid FOR UPDATE`;
        locked();
        await new Promise<void>((resolve) => (release = resolve));
      })
      .catch(() => undefined); // PostgreSQL stops under it
    await lockTaken;
    const answeredAt = (request: Promise<ApiResponse>) => request.then((response) => ({ response, at: Date.now() }));
    const caught = Promise.all([checkout(), ...keys.slice(4, 8).map(deliver)].map(answeredAt));
    await sleep(500);
    const stopping = Date.now();
    await pg.stop();
    release();
    await holder;
    for (const { response, at } of await caught) {
      expect(response).toMatchObject(unavailable);
      expect(at - stopping).toBeLessThan(ANSWER_WITHIN_MS);
    }

    // Down: writes, reads, logins and readiness answer 503 at once.
    const write = await quickly('a write', () => deliver(keys[8]));
    expect(write).toMatchObject(unavailable);
    expect(write.headers.get('retry-after')).toBe('1');
    expect(await quickly('a read', () => send(a, 'GET', '/inventory/products?limit=5', manager))).toMatchObject(unavailable);
    const credentials = { email: 'manager@demo.local', password: 'demo1234' };
    expect(await quickly('a login', () => send(a, 'POST', '/auth/login', undefined, credentials))).toMatchObject(unavailable);
    const ready = await quickly('readiness', () => send(a, 'GET', '/health/ready'));
    expect(ready).toMatchObject({
      ...unavailable,
      body: { details: { error: { database: { status: 'down' } }, details: { redis: { status: 'up' } } } },
    });

    // Back: the replica recovers by itself.
    await pg.start();
    const deadline = Date.now() + 15_000;
    while ((await api(a, 'GET', '/health/ready')).status !== 200) {
      if (Date.now() > deadline) throw new Error('not ready again within 15 s');
      await sleep(200);
    }

    // Nothing half-written: only the four deliveries answered before the stop are there; the
    // checkout left no sale, and its cart is still paid, not completed.
    expect([(await stockNow()) - water0, (await inMovements()) - moves0]).toEqual([4, 4]);
    expect(await prisma.sale.count({ where: { cartId: cart.id } })).toBe(0);
    expect((await api(a, 'GET', `/pos/carts/${cart.id}`, cashier)).body.status).toBe('PAID');

    // The tills retry with the same keys: each delivery counts once, and the checkout goes through.
    expect((await Promise.all(keys.map(deliver))).map((r) => r.status)).toEqual(Array(9).fill(201));
    expect(await checkout()).toMatchObject({ status: 201, body: { cartId: cart.id } });
    expect([(await stockNow()) - water0, (await inMovements()) - moves0]).toEqual([9 - 1, 9]);

    // A driver error of the request's own making is a clear 4xx, not a 500: a stock that would overflow.
    // Quantities are BIGINT: only past 2^63 - 1 does PostgreSQL refuse the sum.
    await prisma.stock.update({ where: { workspaceId_productId: stockRow }, data: { quantity: 9_223_372_036_854_000_000n } });
    expect(await send(a, 'POST', '/inventory/movements', manager, { ...stockRow, type: 'IN', quantity: 1_000_000 })).toMatchObject({
      status: 422,
      body: { code: 'value_out_of_range' },
    });
  });
});
