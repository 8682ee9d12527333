import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EVENTS } from '@retail/realtime-protocol';
import {
  QUIET_MS,
  api,
  connectPrisma,
  connectSocket,
  createTestDatabase,
  demoIds,
  describeWithServices,
  login,
  productBySku,
  record,
  sleep,
  REDIS_TEST_URL,
  startCluster,
  type ApiResponse,
  type Cluster,
  type TestDatabase,
} from '@retail/testing';

describeWithServices(['postgres', 'redis'], 'idempotent commands across two replicas', () => {
  let db: TestDatabase;
  let prisma: Awaited<ReturnType<typeof connectPrisma>>;
  let cluster: Cluster;
  let ids: Awaited<ReturnType<typeof demoIds>>;
  let a: string, b: string;
  let cashier: string, manager: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = await connectPrisma(db.uri);
    cluster = await startCluster({ replicas: 2, databaseUri: db.uri, redisUrl: REDIS_TEST_URL });
    [a, b] = cluster.replicas.map((r) => r.httpUrl);
    ids = await demoIds(a);
    cashier = await login(a, 'cashier1@demo.local', { deviceId: ids.centroDevice });
    manager = await login(a, 'manager@demo.local');
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await cluster?.stop();
    await prisma?.onApplicationShutdown();
    await db?.drop();
  });

  /** A command sent with an Idempotency-Key, as a till sends it. */
  const send = (via: string, method: string, path: string, token: string, key: string, body?: unknown) =>
    api(via, method, path, token, body, { headers: { 'idempotency-key': key } });
  /** Like a till: on 409 idempotency_in_progress, waits Retry-After and sends the same request again. */
  const untilAnswered = async (request: () => Promise<ApiResponse>) => {
    for (let attempt = 1; ; attempt++) {
      const response = await request();
      if (response.body?.code !== 'idempotency_in_progress' || attempt === 10) return response;
      expect(response.status).toBe(409);
      await sleep(Number(response.headers.get('retry-after')) * 1000);
    }
  };
  const watch = async (replica: number, ns: 'pos' | 'inventory', ...events: Parameters<typeof record>[1][]) => {
    const socket = await connectSocket(cluster.replicas[replica].wsUrl, ns, manager);
    sockets.push(socket);
    return record(socket, ...events);
  };
  // Quantities are BIGINT columns; the test's numbers stay far below 2^53.
  const stockOf = async (workspaceId: string, productId: string) =>
    Number((await prisma.stock.findUniqueOrThrow({ where: { workspaceId_productId: { workspaceId, productId } } })).quantity);

  it('replays a retried cart, payment and checkout: one cart, one payment, one sale, one set of events, one body for all', async () => {
    const posGot = await watch(
      1,
      'pos',
      EVENTS.posCartUpdated.name,
      EVENTS.posCartPayment.name,
      EVENTS.posSaleCompleted.name,
      EVENTS.posDailyTotalsUpdated.name,
    );
    const movesGot = await watch(0, 'inventory', EVENTS.inventoryMovementCreated.name);
    const milk = await productBySku(a, cashier, 'MILK-1L');
    const milk0 = await stockOf(ids.centro, milk.id);

    const carts0 = await prisma.cart.count({ where: { deviceId: ids.centroDevice } });
    const cartKey = randomUUID();
    const opened = await send(a, 'POST', '/pos/carts', cashier, cartKey, {});
    const reopened = await send(b, 'POST', '/pos/carts', cashier, cartKey, {});
    expect(opened.status).toBe(201);
    expect(reopened).toMatchObject({ status: 201, body: opened.body });
    expect(reopened.headers.get('idempotent-replayed')).toBe('true');
    const cartId = opened.body.id;
    expect(await prisma.cart.count({ where: { deviceId: ids.centroDevice } })).toBe(carts0 + 1);

    expect((await api(a, 'PATCH', `/pos/carts/${cartId}`, cashier, { items: [{ productId: milk.id, quantity: 2 }] })).status).toBe(200);
    // A partial cash payment whose answer was lost, retried on both replicas at once and once more later.
    const payKey = randomUUID();
    const pay = (via: string) =>
      untilAnswered(() => send(via, 'POST', `/pos/carts/${cartId}/payments`, cashier, payKey, { method: 'CASH', amount: 100 }));
    const payments = [...(await Promise.all([pay(a), pay(b)])), await pay(b)];
    expect(payments.map((p) => p.status)).toEqual([201, 201, 201]);
    expect(payments.every((p) => JSON.stringify(p.body) === JSON.stringify(payments[0].body))).toBe(true);
    expect(payments[0].body).toMatchObject({ paid: 100, remaining: 2 * milk.price - 100 });
    expect(await prisma.payment.count({ where: { cartId } })).toBe(1);
    const rest = await send(a, 'POST', `/pos/carts/${cartId}/payments`, cashier, randomUUID(), {
      method: 'CARD',
      amount: 2 * milk.price - 100,
    });
    expect(rest).toMatchObject({ status: 201, body: { paid: 2 * milk.price, remaining: 0 } });

    // Ten tills' worth of the same checkout, one key, over both replicas at once.
    const checkoutKey = randomUUID();
    const checkouts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        untilAnswered(() => send([a, b][i % 2], 'POST', `/pos/carts/${cartId}/checkout`, cashier, checkoutKey)),
      ),
    );
    expect(checkouts.map((c) => c.status)).toEqual(Array(10).fill(201));
    const sale = checkouts[0].body;
    expect(checkouts.every((c) => JSON.stringify(c.body) === JSON.stringify(sale))).toBe(true);
    expect(checkouts.filter((c) => c.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
    expect(await prisma.sale.count({ where: { cartId } })).toBe(1);
    expect(await stockOf(ids.centro, milk.id)).toBe(milk0 - 2);

    // Without a key a second checkout is refused, naming the sale so the till can recover it.
    expect(await api(b, 'POST', `/pos/carts/${cartId}/checkout`, cashier)).toMatchObject({
      status: 409,
      body: { code: 'cart_closed', details: { status: 'COMPLETED', saleId: sale.id } },
    });
    // The same key for another request is refused, and changes nothing.
    expect(await send(a, 'POST', `/pos/carts/${cartId}/cancel`, cashier, checkoutKey)).toMatchObject({
      status: 422,
      body: { code: 'idempotency_key_reused' },
    });

    await sleep(QUIET_MS);
    const ofCart = (type: string) => posGot.filter((e) => e.type === type && e.data.cartId === cartId);
    expect(ofCart(EVENTS.posCartPayment.name).map((e) => [e.data.payment.method, e.data.status])).toEqual([
      ['CASH', 'OPEN'],
      ['CARD', 'PAID'],
    ]);
    expect(ofCart(EVENTS.posSaleCompleted.name).map((e) => e.data.saleId)).toEqual([sale.id]);
    // Created and items set; the payments and the checkout are their own events, one per change.
    expect(ofCart(EVENTS.posCartUpdated.name).map((e) => e.data.status)).toEqual(['OPEN', 'OPEN']);
    const totals = posGot.filter((e) => e.type === EVENTS.posDailyTotalsUpdated.name && e.data.workspaceId === ids.centro);
    expect(totals).toHaveLength(1);
    expect(movesGot.filter((e) => e.data.movement.type === 'SALE' && e.data.movement.productId === milk.id)).toHaveLength(1);
  });

  it('counts a retried movement and transfer step once, refuses the key for another body, and reruns a command that failed', async () => {
    const movesGot = await watch(0, 'inventory', EVENTS.inventoryMovementCreated.name, EVENTS.inventoryMovementUpdated.name);
    const water = await productBySku(a, manager, 'WATER-500');
    const [centro0, norte0] = [await stockOf(ids.centro, water.id), await stockOf(ids.norte, water.id)];

    const inKey = randomUUID();
    const delivery = { type: 'IN', workspaceId: ids.centro, productId: water.id, quantity: 12 };
    const received = await Promise.all(
      [a, b, a].map((via) => untilAnswered(() => send(via, 'POST', '/inventory/movements', manager, inKey, delivery))),
    );
    expect(received.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(received.map((r) => r.body.movement.id)).size).toBe(1);
    expect(await stockOf(ids.centro, water.id)).toBe(centro0 + 12);
    expect(await send(b, 'POST', '/inventory/movements', manager, inKey, { ...delivery, quantity: 13 })).toMatchObject({
      status: 422,
      body: { code: 'idempotency_key_reused' },
    });
    expect(await stockOf(ids.centro, water.id)).toBe(centro0 + 12);

    const transfer = (
      await send(a, 'POST', '/inventory/movements', manager, randomUUID(), {
        type: 'TRANSFER',
        fromWorkspaceId: ids.centro,
        toWorkspaceId: ids.norte,
        productId: water.id,
        quantity: 5,
      })
    ).body.movement;
    const receiveKey = randomUUID();
    const receive = (via: string) => send(via, 'PATCH', `/inventory/movements/${transfer.id}`, manager, receiveKey, { status: 'RECEIVED' });
    const [first, retried] = [await receive(a), await receive(b)];
    expect(first.status).toBe(200);
    expect(retried).toMatchObject({ status: 200, body: first.body }); // not 409 invalid_transition: the answer is replayed
    expect([await stockOf(ids.centro, water.id), await stockOf(ids.norte, water.id)]).toEqual([centro0 + 7, norte0 + 5]);

    // A command that failed wrote nothing, so its retry with the same key runs again.
    const cart = (await api(a, 'POST', '/pos/carts', cashier, {})).body;
    await api(a, 'PATCH', `/pos/carts/${cart.id}`, cashier, { items: [{ productId: water.id, quantity: 1 }] });
    const checkoutKey = randomUUID();
    expect(await send(b, 'POST', `/pos/carts/${cart.id}/checkout`, cashier, checkoutKey)).toMatchObject({
      status: 422,
      body: { code: 'payment_insufficient' },
    });
    await api(a, 'POST', `/pos/carts/${cart.id}/payments`, cashier, { method: 'CARD', amount: water.price });
    expect(await send(a, 'POST', `/pos/carts/${cart.id}/checkout`, cashier, checkoutKey)).toMatchObject({
      status: 201,
      body: { cartId: cart.id },
    });

    // The drawer: a retried open answers the drawer it opened (without a key: 409 cash_session_open).
    const drawerKey = randomUUID();
    const drawer = { openingFloat: 5000, cashLimit: 50_000 };
    const [opened, reopened] = [
      await send(a, 'POST', '/pos/cash-sessions', cashier, drawerKey, drawer),
      await send(b, 'POST', '/pos/cash-sessions', cashier, drawerKey, drawer),
    ];
    expect(opened.status).toBe(201);
    expect(reopened).toMatchObject({ status: 201, body: opened.body });
    expect((await api(a, 'POST', '/pos/cash-sessions', cashier, drawer)).body.code).toBe('cash_session_open');

    await sleep(QUIET_MS);
    expect(
      movesGot.filter((e) => e.type === EVENTS.inventoryMovementCreated.name && e.data.movement.id === received[0].body.movement.id),
    ).toHaveLength(1);
    expect(movesGot.filter((e) => e.type === EVENTS.inventoryMovementUpdated.name && e.data.movement.id === transfer.id)).toHaveLength(1);
  });

  it('answers a duplicate 409 idempotency_in_progress with Retry-After while the first request is still running', async () => {
    const water = await productBySku(a, cashier, 'WATER-500');
    const cart = (await api(a, 'POST', '/pos/carts', cashier, {})).body;
    await api(a, 'PATCH', `/pos/carts/${cart.id}`, cashier, { items: [{ productId: water.id, quantity: 1 }] });
    await api(a, 'POST', `/pos/carts/${cart.id}/payments`, cashier, { method: 'CARD', amount: water.price });
    const key = randomUUID();
    const checkout = (via: string) => send(via, 'POST', `/pos/carts/${cart.id}/checkout`, cashier, key);

    // Hold the cart's row lock, so the first checkout blocks inside its transaction.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holder = prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM "Cart" WHERE id = ${cart.id}::uuid FOR UPDATE`;
        locked();
        await held;
      },
      { timeout: 30_000 },
    );
    await lockTaken;
    const first = checkout(a);
    await sleep(300);
    const started = Date.now();
    const duplicate = await checkout(b);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_000); // it waited for the answer first
    expect(duplicate).toMatchObject({ status: 409, body: { code: 'idempotency_in_progress' } });
    expect(duplicate.headers.get('retry-after')).toBe('1');

    release();
    await holder;
    const answered = await first;
    expect(answered.status).toBe(201);
    expect(await checkout(b)).toMatchObject({ status: 201, body: answered.body });
    expect(await prisma.sale.count({ where: { cartId: cart.id } })).toBe(1);
  });

  it('refuses a malformed key with 400, and keeps keys apart per caller', async () => {
    expect(await api(a, 'POST', '/pos/carts', cashier, {}, { headers: { 'idempotency-key': 'x'.repeat(256) } })).toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    });
    const key = randomUUID();
    const mine = await send(a, 'POST', '/inventory/movements', manager, key, {
      type: 'IN',
      workspaceId: ids.centro,
      productId: (await productBySku(a, manager, 'BREAD-LOAF')).id,
      quantity: 1,
    });
    const admin = await login(a, 'admin@demo.local');
    const theirs = await send(b, 'POST', '/inventory/movements', admin, key, {
      type: 'IN',
      workspaceId: ids.centro,
      productId: mine.body.movement.productId,
      quantity: 1,
    });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.movement.id).not.toBe(mine.body.movement.id);
  });
});
