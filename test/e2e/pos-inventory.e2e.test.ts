import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  QUIET_MS,
  api,
  connectSocket,
  login,
  nextEvent,
  record,
  sleep,
  createTestDatabase,
  type TestDatabase,
  demoIds,
  productBySku,
  sell,
  REDIS_TEST_URL,
  startCluster,
  type Cluster,
  describeWithServices,
} from '@retail/testing';

import { businessDate } from '@retail/pos';
import { EVENTS } from '@retail/realtime-protocol';

describeWithServices(['postgres', 'redis'], 'POS and inventory across three replicas', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  let ids: Awaited<ReturnType<typeof demoIds>>;
  let a: string, b: string, c: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster({ replicas: 3, databaseUri: db.uri, redisUrl: REDIS_TEST_URL });
    [a, b, c] = cluster.replicas.map((r) => r.httpUrl);
    ids = await demoIds(a);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await cluster?.stop();
    await db?.drop();
  });

  const socket = async (replica: number, ns: 'pos' | 'inventory' | 'notifications', email: string, deviceId?: string) => {
    const token = await login(a, email, { deviceId });
    const s = await connectSocket(cluster.replicas[replica].wsUrl, ns, token);
    sockets.push(s);
    return s;
  };
  const stockOf = async (token: string, workspaceId: string, productId: string) =>
    (await api(a, 'GET', `/inventory/stock?workspaceId=${workspaceId}&productId=${productId}`, token)).body.items[0].quantity as number;
  const totalsOf = async (token: string, workspaceId: string) =>
    (await api(a, 'GET', `/pos/daily-totals?workspaceId=${workspaceId}`, token)).body;

  it('shows a checkout made through replica A on a dashboard connected to replica B, and cart events on the device', async () => {
    const cashier = await login(a, 'cashier1@demo.local', { deviceId: ids.centroDevice });
    const dashboard = await socket(1, 'pos', 'manager@demo.local');
    const device = await socket(2, 'pos', 'cashier1@demo.local', ids.centroDevice);
    const deviceGot = record(device, EVENTS.posCartUpdated.name, EVENTS.posCartPayment.name, EVENTS.posSaleCompleted.name);
    const milk = await productBySku(a, cashier, 'MILK-1L');
    const water = await productBySku(a, cashier, 'WATER-500');
    const { refunds: _, ...totals0 } = await totalsOf(cashier, ids.centro); // the event carries the sales figures only

    const sold = nextEvent(dashboard, EVENTS.posSaleCompleted.name);
    const totals = nextEvent(dashboard, EVENTS.posDailyTotalsUpdated.name);
    const checkout = await sell(
      a,
      cashier,
      [
        { productId: milk.id, quantity: 2 },
        { productId: water.id, quantity: 1 },
      ],
      'CASH',
    );
    expect(checkout.status).toBe(201);
    const total = 2 * milk.price + water.price;

    expect((await sold).data).toMatchObject({
      saleId: checkout.body.id,
      workspaceId: ids.centro,
      deviceId: ids.centroDevice,
      total,
      lines: [
        { productId: milk.id, sku: 'MILK-1L', quantity: 2, unitPrice: milk.price, lineTotal: 2 * milk.price },
        { productId: water.id, sku: 'WATER-500', quantity: 1, lineTotal: water.price },
      ],
      payments: [{ method: 'CASH', amount: total }],
    });
    expect((await totals).data).toEqual({
      ...totals0,
      salesCount: totals0.salesCount + 1,
      grossAmount: totals0.grossAmount + total,
      byMethod: { ...totals0.byMethod, CASH: totals0.byMethod.CASH + total },
    });
    await sleep(QUIET_MS);
    const cartStatuses = deviceGot.filter((e) => e.type === EVENTS.posCartUpdated.name).map((e) => e.data.status);
    expect(cartStatuses).toEqual(['OPEN', 'OPEN']); // created, items: the payment and the checkout have their own events
    expect(deviceGot.filter((e) => e.type === EVENTS.posCartPayment.name).map((e) => [e.data.status, e.data.remaining])).toEqual([
      ['PAID', 0],
    ]);
    expect(deviceGot.filter((e) => e.type === EVENTS.posSaleCompleted.name).map((e) => e.data.cartId)).toEqual([checkout.body.cartId]);
  });

  it('keeps stock, sales, daily totals and events in agreement under 50 parallel checkouts of scarce stock on three replicas', async () => {
    const admin = await login(a, 'admin@demo.local');
    const cashier = await login(b, 'cashier2@demo.local', { deviceId: ids.norteDevice });
    const product = (await api(a, 'POST', '/inventory/products', admin, { sku: 'SCARCE-E2E', name: 'Scarce', price: 375 })).body;
    await api(a, 'PATCH', '/inventory/stock', admin, { workspaceId: ids.norte, productId: product.id, minQuantity: 5 });
    expect(
      (await api(a, 'POST', '/inventory/movements', admin, { type: 'IN', workspaceId: ids.norte, productId: product.id, quantity: 20 }))
        .status,
    ).toBe(201);

    const replicas = [a, b, c];
    const carts = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const via = replicas[i % 3];
        const cart = (await api(via, 'POST', '/pos/carts', cashier, {})).body;
        await api(via, 'PATCH', `/pos/carts/${cart.id}`, cashier, { items: [{ productId: product.id, quantity: 1 }] });
        const paid = await api(via, 'POST', `/pos/carts/${cart.id}/payments`, cashier, { method: 'CARD', amount: 375 });
        expect(paid.status, JSON.stringify(paid.body)).toBe(201);
        return { id: cart.id, via };
      }),
    );
    const dashboard = await socket(2, 'pos', 'manager@demo.local');
    const stockView = await socket(0, 'inventory', 'manager@demo.local');
    const alerts = await socket(1, 'notifications', 'manager@demo.local');
    const posGot = record(dashboard, EVENTS.posSaleCompleted.name, EVENTS.posDailyTotalsUpdated.name);
    const movesGot = record(stockView, EVENTS.inventoryMovementCreated.name);
    const alertsGot = record(alerts, EVENTS.systemWarning.name);
    const totals0 = await totalsOf(admin, ids.norte);

    const results = await Promise.all(carts.map(({ id, via }) => api(via, 'POST', `/pos/carts/${id}/checkout`, cashier)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 409)).toHaveLength(30);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'insufficient_stock')).toBe(true);
    await sleep(QUIET_MS * 2);

    expect(await stockOf(admin, ids.norte, product.id)).toBe(0);
    const totals1 = await totalsOf(admin, ids.norte);
    expect(totals1.salesCount - totals0.salesCount).toBe(20);
    expect(totals1.grossAmount - totals0.grossAmount).toBe(20 * 375);
    const saleIds = new Set(results.filter((r) => r.status === 201).map((r) => r.body.id));
    const listed = (await api(a, 'GET', `/pos/sales?workspaceId=${ids.norte}&limit=100`, admin)).body.items.filter((s: { id: string }) =>
      saleIds.has(s.id),
    );
    expect(listed).toHaveLength(20);

    const soldEvents = posGot.filter((e) => e.type === EVENTS.posSaleCompleted.name && saleIds.has(e.data.saleId));
    expect(new Set(soldEvents.map((e) => e.data.saleId))).toEqual(saleIds);
    expect(soldEvents).toHaveLength(20); // once each
    const totalsEvents = posGot.filter((e) => e.type === EVENTS.posDailyTotalsUpdated.name && e.data.workspaceId === ids.norte);
    expect(totalsEvents).toHaveLength(20);
    expect(Math.max(...totalsEvents.map((e) => e.data.salesCount))).toBe(totals1.salesCount);
    const saleMoves = movesGot.filter((e) => e.data.movement.type === 'SALE' && e.data.movement.productId === product.id);
    expect(saleMoves).toHaveLength(20);
    expect(saleMoves.map((e) => e.data.stock[0].quantity).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(alertsGot.filter((e) => e.data.data?.productId === product.id).map((e) => e.data.data.quantity)).toEqual([4]);
  });

  it('moves stock between stores with a PENDING → RECEIVED transfer and notifies both', async () => {
    const manager = await login(a, 'manager@demo.local');
    const centroSide = await socket(0, 'inventory', 'staff@demo.local'); // Centro only
    const norteSide = await socket(2, 'inventory', 'cashier2@demo.local'); // Norte only
    const bread = await productBySku(a, manager, 'BREAD-LOAF');
    const [centro0, norte0] = [await stockOf(manager, ids.centro, bread.id), await stockOf(manager, ids.norte, bread.id)];

    const created = nextEvent(norteSide, EVENTS.inventoryMovementCreated.name, (e) => e.data.movement.productId === bread.id);
    const transfer = await api(b, 'POST', '/inventory/movements', manager, {
      type: 'TRANSFER',
      fromWorkspaceId: ids.centro,
      toWorkspaceId: ids.norte,
      productId: bread.id,
      quantity: 4,
    });
    expect(transfer.status).toBe(201);
    expect((await created).data.movement).toMatchObject({ id: transfer.body.movement.id, status: 'PENDING' });

    const [atCentro, atNorte] = [centroSide, norteSide].map((s) =>
      nextEvent(s, EVENTS.inventoryMovementUpdated.name, (e) => e.data.movement.id === transfer.body.movement.id),
    );
    const received = await api(c, 'PATCH', `/inventory/movements/${transfer.body.movement.id}`, manager, { status: 'RECEIVED' });
    expect(received.status).toBe(200);
    const [x, y] = await Promise.all([atCentro, atNorte]);
    expect(x.id).toBe(y.id);
    expect(x.data.movement).toMatchObject({ status: 'RECEIVED', fromWorkspaceId: ids.centro, toWorkspaceId: ids.norte });
    expect(x.data.stock.map((s: { quantity: number }) => s.quantity)).toEqual([centro0 - 4, norte0 + 4]);
    expect([await stockOf(manager, ids.centro, bread.id), await stockOf(manager, ids.norte, bread.id)]).toEqual([centro0 - 4, norte0 + 4]);
  });

  it('applies the adjustments of a closed count', async () => {
    const manager = await login(a, 'manager@demo.local');
    const staff = await login(b, 'staff@demo.local');
    const water = await productBySku(a, manager, 'WATER-500');
    const water0 = await stockOf(manager, ids.centro, water.id);
    const count = (await api(b, 'POST', '/inventory/counts', staff, { workspaceId: ids.centro, productIds: [water.id] })).body;
    expect(
      (await api(c, 'PUT', `/inventory/counts/${count.id}/lines`, staff, { lines: [{ productId: water.id, countedQuantity: water0 - 3 }] }))
        .status,
    ).toBe(200);
    expect((await api(c, 'POST', `/inventory/counts/${count.id}/close`, staff)).status).toBe(403); // closing needs inventory:manage
    const closed = await api(a, 'POST', `/inventory/counts/${count.id}/close`, manager);
    expect(closed).toMatchObject({ status: 200, body: { status: 'CLOSED', summary: { lines: 1, counted: 1, adjusted: 1 } } });
    expect((await api(b, 'GET', `/inventory/movements?countId=${count.id}`, manager)).body.items).toMatchObject([
      { type: 'ADJUSTMENT', productId: water.id, quantity: -3 },
    ]);
    expect(await stockOf(manager, ids.centro, water.id)).toBe(water0 - 3);
    expect((await api(a, 'POST', `/inventory/counts/${count.id}/close`, manager)).body.code).toBe('count_closed');
  });

  it('turns the demo coffee in Centro low after a few sales, warning once', async () => {
    const cashier = await login(a, 'cashier1@demo.local', { deviceId: ids.centroDevice });
    const workspace = await socket(1, 'notifications', 'manager@demo.local');
    const warnings = record(workspace, EVENTS.systemWarning.name);
    const coffee = await productBySku(a, cashier, 'COFFEE-250');
    for (let i = 0; i < 4; i++) expect((await sell([a, b, c][i % 3], cashier, [{ productId: coffee.id, quantity: 1 }])).status).toBe(201);
    await sleep(QUIET_MS);
    expect(warnings.filter((w) => w.data.kind === 'LOW_STOCK').map((w) => w.data.data)).toEqual([
      expect.objectContaining({ sku: 'COFFEE-250', quantity: 2, minQuantity: 3 }),
    ]);
  });

  it('refuses cross-tenant and out-of-role attempts', async () => {
    const cashier = await login(a, 'cashier1@demo.local', { deviceId: ids.centroDevice });
    const other = await login(b, 'admin@other.local');
    const staff = await login(c, 'staff@demo.local');
    const cart = (await api(a, 'POST', '/pos/carts', cashier, {})).body;
    const coffee = await productBySku(a, cashier, 'COFFEE-250');
    const tea = await productBySku(b, other, 'TEA-GREEN');

    const refusals = await Promise.all([
      api(b, 'GET', `/pos/carts/${cart.id}`, other),
      api(b, 'POST', `/pos/carts/${cart.id}/checkout`, other),
      api(b, 'PATCH', `/inventory/products/${coffee.id}`, other, { price: 1 }),
      api(b, 'GET', `/inventory/stock?workspaceId=${ids.centro}`, other),
      api(b, 'GET', `/pos/daily-totals?workspaceId=${ids.centro}`, other),
      api(a, 'PATCH', `/pos/carts/${cart.id}`, cashier, { items: [{ productId: tea.id, quantity: 1 }] }),
      api(b, 'POST', '/pos/carts', other, { deviceId: ids.centroDevice }),
    ]);
    expect(refusals.map((r) => [r.status, r.body.code])).toEqual(Array(7).fill([404, 'not_found']));
    expect(await api(c, 'POST', '/pos/carts', staff, {})).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(await api(a, 'POST', '/pos/carts', cashier, { deviceId: ids.norteDevice })).toMatchObject({
      status: 403,
      body: { code: 'device_forbidden' },
    });
    expect(await api(a, 'PATCH', `/pos/carts/${cart.id}`, cashier, { items: [{ productId: coffee.id, quantity: 0 }] })).toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    });
    expect(await api(a, 'GET', '/inventory/movements?cursor=bogus', cashier)).toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    });
  });

  it('refuses a store time zone that Intl does not know, and sells on the local day of one it does', async () => {
    const admin = await login(a, 'admin@demo.local');
    const manager = await login(a, 'manager@demo.local');
    const store = `/workspaces/${ids.norte}`;
    expect(await api(b, 'PATCH', store, admin, { timeZone: 'Mars/Olympus_Mons' })).toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    });
    expect(await api(b, 'PATCH', store, manager, { timeZone: 'UTC' })).toMatchObject({ status: 403 });
    expect(await api(b, 'PATCH', store, admin, { timeZone: 'pacific/kiritimati' })).toMatchObject({
      status: 200,
      body: { id: ids.norte, timeZone: 'Pacific/Kiritimati' },
    });
    try {
      const cashier = await login(c, 'cashier2@demo.local', { deviceId: ids.norteDevice });
      const water = await productBySku(c, cashier, 'WATER-500');
      const sale = await sell(c, cashier, [{ productId: water.id, quantity: 1 }]);
      expect(sale.status).toBe(201);
      expect(sale.body.businessDate).toBe(businessDate(new Date(sale.body.completedAt), 'Pacific/Kiritimati'));
    } finally {
      await api(a, 'PATCH', store, admin, { timeZone: 'UTC' });
    }
  });
});
