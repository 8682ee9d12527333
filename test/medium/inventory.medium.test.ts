import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Principal } from '@retail/auth';
import { CountsService, MovementsService, StockService } from '@retail/inventory';
import { ALERT_CONDITIONS, NotificationsService } from '@retail/notifications';
import { AlertSweepService } from '@retail/notifications';
import { CartsService, CheckoutService } from '@retail/pos';

import { describeWithServices, startRetailApp, type RetailApp } from '@retail/testing';

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );

describeWithServices(['postgres'], 'inventory on PostgreSQL', () => {
  let h: RetailApp;
  let movements: MovementsService, counts: CountsService, stock: StockService;
  let admin: Principal, manager: Principal, staff: Principal, cashier2: Principal, otherAdmin: Principal;

  beforeAll(async () => {
    h = await startRetailApp();
    [movements, counts, stock] = [h.get(MovementsService), h.get(CountsService), h.get(StockService)];
    [admin, manager, staff, cashier2, otherAdmin] = await Promise.all(
      ['admin@demo.local', 'manager@demo.local', 'staff@demo.local', 'cashier2@demo.local', 'admin@other.local'].map((e) => h.as(e)),
    );
  });
  afterAll(() => h?.close());

  const quantity = async (workspaceId: string, productId: string) =>
    Number((await h.prisma.stock.findUnique({ where: { workspaceId_productId: { workspaceId, productId } } }))?.quantity ?? 0);
  const move = (user: Principal, body: Parameters<MovementsService['create']>[1]) => movements.create(user, body);

  it('applies IN, OUT and signed ADJUSTMENT, and emits each movement with the resulting stock after commit', async () => {
    const { centro, water } = h.ids;
    const start = await quantity(centro, water.id);
    const mark = h.sent.length;
    await move(staff, { type: 'IN', workspaceId: centro, productId: water.id, quantity: 10, reason: 'delivery' });
    await move(manager, { type: 'OUT', workspaceId: centro, productId: water.id, quantity: 4 });
    const adjusted = await move(manager, {
      type: 'ADJUSTMENT',
      workspaceId: centro,
      productId: water.id,
      quantity: -1,
      reason: 'broken bottle',
    });
    expect(await quantity(centro, water.id)).toBe(start + 5);
    expect(adjusted.movement).toMatchObject({
      type: 'ADJUSTMENT',
      quantity: -1,
      workspaceId: centro,
      fromWorkspaceId: null,
      status: null,
      userId: manager.userId,
    });
    expect(adjusted.stock).toEqual([{ workspaceId: centro, productId: water.id, quantity: start + 5, minQuantity: 24 }]);
    const events = h.since(mark);
    expect(events.map((e) => e.event)).toEqual(['inventoryMovementCreated', 'inventoryMovementCreated', 'inventoryMovementCreated']);
    expect(events[2].payload).toEqual({ companyId: h.ids.companyId, ...adjusted });
  });

  it('refuses a decrease below zero with insufficient_stock, writing and emitting nothing', async () => {
    const { centro, bread } = h.ids;
    const before = await quantity(centro, bread.id);
    const rows = await h.prisma.inventoryMovement.count();
    const mark = h.sent.length;
    const refusal = await move(manager, { type: 'OUT', workspaceId: centro, productId: bread.id, quantity: before + 1 }).catch((e) => e);
    expect(refusal).toMatchObject({ code: 'insufficient_stock', details: { requested: before + 1, available: before } });
    expect(refusal.getStatus()).toBe(409);
    expect(
      await code(move(manager, { type: 'ADJUSTMENT', workspaceId: centro, productId: bread.id, quantity: -(before + 1), reason: 'x' })),
    ).toBe('insufficient_stock');
    expect(await quantity(centro, bread.id)).toBe(before);
    expect(await h.prisma.inventoryMovement.count()).toBe(rows);
    expect(h.since(mark)).toEqual([]);
  });

  it('keeps stock at zero or above under many concurrent decreases, and exact under concurrent increases', async () => {
    const { norte } = h.ids;
    // A product with no stock row in Norte yet: concurrent first INs must all land (upsert, no unique violation).
    const product = await h.prisma.product.create({ data: { companyId: h.ids.companyId, sku: 'RACE-1', name: 'Race item', price: 100 } });
    await Promise.all(
      Array.from({ length: 20 }, () => move(manager, { type: 'IN', workspaceId: norte, productId: product.id, quantity: 1 })),
    );
    expect(await quantity(norte, product.id)).toBe(20);
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () => code(move(manager, { type: 'OUT', workspaceId: norte, productId: product.id, quantity: 1 }))),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(20);
    expect(outcomes.filter((o) => o === 'insufficient_stock')).toHaveLength(10);
    expect(await quantity(norte, product.id)).toBe(0);
  });

  it('warns about low stock once, counts it while it lasts, resolves it on a restock and reopens it on the next fall', async () => {
    const { centro, coffee } = h.ids;
    await stock.setMinQuantity(manager, { workspaceId: centro, productId: coffee.id, minQuantity: 3 });
    const mark = h.sent.length;
    const out = (n: number) => move(manager, { type: 'OUT', workspaceId: centro, productId: coffee.id, quantity: n });
    const start = await quantity(centro, coffee.id);
    await out(start - 3); // down to exactly 3: at the minimum, not below
    await out(1); // 3 → 2: crossing
    await out(1); // 2 → 1: already below, counted on the same alert
    await move(staff, { type: 'IN', workspaceId: centro, productId: coffee.id, quantity: 9 }); // back to 10: resolved
    await out(8); // 10 → 2: again, within 10 minutes: the same alert reopens
    const warnings = h.since(mark).filter((e) => e.event === 'systemWarning');
    expect(warnings.map((w) => w.payload.data.quantity)).toEqual([2]);
    const updates = h.since(mark).filter((e) => e.event === 'systemAlertUpdated');
    expect(updates.map((u) => [u.payload.state, u.payload.count])).toEqual([
      ['open', 2],
      ['resolved', 2],
      ['open', 3],
    ]);
    // A minimum lowered to the stock clears the condition too.
    const lowered = h.sent.length;
    await stock.setMinQuantity(manager, { workspaceId: centro, productId: coffee.id, minQuantity: 2 });
    expect(h.since(lowered).filter((e) => e.event === 'systemAlertUpdated')).toMatchObject([{ payload: { state: 'resolved', count: 3 } }]);
    expect(warnings[0].payload).toMatchObject({
      companyId: h.ids.companyId,
      kind: 'LOW_STOCK',
      scope: { type: 'workspace', workspaceId: centro },
      data: { productId: coffee.id, sku: 'COFFEE-250', minQuantity: 3 },
    });
  });

  it('moves a transfer PENDING → IN_TRANSIT → RECEIVED between two stores, telling both', async () => {
    const { centro, norte, milk } = h.ids;
    const [centro0, norte0] = [await quantity(centro, milk.id), await quantity(norte, milk.id)];
    const mark = h.sent.length;
    const created = await move(manager, {
      type: 'TRANSFER',
      fromWorkspaceId: centro,
      toWorkspaceId: norte,
      productId: milk.id,
      quantity: 7,
    });
    expect(created.movement).toMatchObject({
      type: 'TRANSFER',
      status: 'PENDING',
      workspaceId: null,
      fromWorkspaceId: centro,
      toWorkspaceId: norte,
    });
    expect(created.stock.map((s) => s.quantity)).toEqual([centro0 - 7, norte0]);

    await movements.updateTransfer(manager, created.movement.id, { status: 'IN_TRANSIT' });
    expect(await code(movements.updateTransfer(otherAdmin, created.movement.id, { status: 'RECEIVED' }))).toBe('not_found');
    await movements.updateTransfer(manager, created.movement.id, { status: 'RECEIVED' });
    expect([await quantity(centro, milk.id), await quantity(norte, milk.id)]).toEqual([centro0 - 7, norte0 + 7]);
    expect(await code(movements.updateTransfer(manager, created.movement.id, { status: 'CANCELLED' }))).toBe('invalid_transition');

    const events = h.since(mark);
    expect(events.map((e) => [e.event, e.payload.movement.status])).toEqual([
      ['inventoryMovementCreated', 'PENDING'],
      ['inventoryMovementUpdated', 'IN_TRANSIT'],
      ['inventoryMovementUpdated', 'RECEIVED'],
    ]);
    expect(events[2].payload.stock).toEqual([
      { workspaceId: centro, productId: milk.id, quantity: centro0 - 7, minQuantity: 10 },
      { workspaceId: norte, productId: milk.id, quantity: norte0 + 7, minQuantity: 10 },
    ]);
  });

  it('returns a cancelled transfer to its source, and restocks once under concurrent receipts', async () => {
    const { centro, norte, milk } = h.ids;
    const centro0 = await quantity(centro, milk.id);
    const cancelled = await move(manager, {
      type: 'TRANSFER',
      fromWorkspaceId: centro,
      toWorkspaceId: norte,
      productId: milk.id,
      quantity: 3,
    });
    await movements.updateTransfer(manager, cancelled.movement.id, { status: 'CANCELLED' });
    expect(await quantity(centro, milk.id)).toBe(centro0);

    const norte0 = await quantity(norte, milk.id);
    const racing = await move(manager, {
      type: 'TRANSFER',
      fromWorkspaceId: centro,
      toWorkspaceId: norte,
      productId: milk.id,
      quantity: 2,
    });
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => code(movements.updateTransfer(manager, racing.movement.id, { status: 'RECEIVED' }))),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'ok').every((o) => o === 'transfer_changed' || o === 'invalid_transition')).toBe(true);
    expect(await quantity(norte, milk.id)).toBe(norte0 + 2);
  });

  it('lets only the source dispatch or cancel a transfer and only the destination receive it; an ADMIN either', async () => {
    const { centro, norte, milk } = h.ids;
    await h.prisma.user.create({
      data: {
        companyId: h.ids.companyId,
        email: 'staff-norte@demo.local',
        name: 'Nora Staff',
        role: 'STAFF',
        passwordHash: '-',
        workspaces: { create: { workspaceId: norte } },
      },
    });
    const [centroStaff, norteStaff] = [staff, await h.as('staff-norte@demo.local')];
    const transfer = async () =>
      (await move(centroStaff, { type: 'TRANSFER', fromWorkspaceId: centro, toWorkspaceId: norte, productId: milk.id, quantity: 1 }))
        .movement.id;
    const status = (user: Principal, id: string, to: 'IN_TRANSIT' | 'RECEIVED' | 'CANCELLED') =>
      code(movements.updateTransfer(user, id, { status: to }));

    const shipped = await transfer();
    expect(await status(norteStaff, shipped, 'IN_TRANSIT')).toBe('wrong_transfer_end');
    expect(await status(norteStaff, shipped, 'CANCELLED')).toBe('wrong_transfer_end');
    expect(await status(centroStaff, shipped, 'RECEIVED')).toBe('wrong_transfer_end');
    expect(await status(centroStaff, shipped, 'IN_TRANSIT')).toBe('ok');
    expect(await status(centroStaff, shipped, 'RECEIVED')).toBe('wrong_transfer_end');
    expect(await status(norteStaff, shipped, 'RECEIVED')).toBe('ok');

    const withdrawn = await transfer();
    expect(await status(centroStaff, withdrawn, 'CANCELLED')).toBe('ok');
    const [byAdmin, byManager] = [await transfer(), await transfer()];
    expect(await status(admin, byAdmin, 'IN_TRANSIT')).toBe('ok');
    expect(await status(admin, byAdmin, 'RECEIVED')).toBe('ok');
    expect(await status(manager, byManager, 'RECEIVED')).toBe('ok'); // a member of both stores
    expect(
      (await h.prisma.inventoryMovement.findMany({ where: { id: { in: [shipped, withdrawn, byAdmin, byManager] } } }))
        .map((m) => [m.id, m.status])
        .sort(),
    ).toEqual(
      [
        [shipped, 'RECEIVED'],
        [withdrawn, 'CANCELLED'],
        [byAdmin, 'RECEIVED'],
        [byManager, 'RECEIVED'],
      ].sort(),
    );
  });

  it('closes a count by applying each difference as an ADJUSTMENT', async () => {
    const { norte, bread, water, milk } = h.ids;
    const [bread0, water0, milk0] = [await quantity(norte, bread.id), await quantity(norte, water.id), await quantity(norte, milk.id)];
    const opened = await counts.create(manager, { workspaceId: norte, productIds: [bread.id, water.id] });
    expect(opened).toMatchObject({ status: 'OPEN', summary: { lines: 2, counted: 0, adjusted: 0 } });
    expect(
      (await counts.lines(manager, opened.id, { limit: 10 })).items.map((l) => [l.sku, l.expectedQuantity, l.countedQuantity]),
    ).toEqual([
      ['BREAD-LOAF', bread0, null],
      ['WATER-500', water0, null],
    ]);
    // Milk was not in the count: it joins it.
    const put = await counts.putLines(manager, opened.id, {
      lines: [
        { productId: bread.id, countedQuantity: bread0 - 2 },
        { productId: water.id, countedQuantity: water0 },
        { productId: milk.id, countedQuantity: milk0 + 4 },
      ],
    });
    expect(put.lines.map((l) => [l.sku, l.expectedQuantity, l.countedQuantity])).toEqual([
      ['BREAD-LOAF', bread0, bread0 - 2],
      ['MILK-1L', milk0, milk0 + 4],
      ['WATER-500', water0, water0],
    ]);
    expect(put.count.summary).toEqual({ lines: 3, counted: 3, adjusted: 0 });

    // The sweep had found it overdue: closing it resolves that alert.
    const overdue = await h.get(NotificationsService).publish({
      companyId: h.ids.companyId,
      level: 'WARNING',
      kind: 'SYSTEM_TASK',
      scope: { type: 'workspace', workspaceId: norte },
      title: 'Stock count overdue',
      message: 'The count is still open',
      dedupKey: ALERT_CONDITIONS.overdueCount(opened.id),
    });
    const mark = h.sent.length;
    const closed = await counts.close(manager, opened.id);
    expect(closed).toMatchObject({ status: 'CLOSED', summary: { lines: 3, counted: 3, adjusted: 2 } });
    expect(await h.prisma.notification.findUniqueOrThrow({ where: { id: overdue!.id } })).toMatchObject({
      state: 'resolved',
      resolution: 'auto',
    });
    const adjustments = (await movements.list(manager, { countId: opened.id, limit: 10 })).items;
    expect(adjustments.map((m) => [m.productId, m.quantity, m.type])).toEqual(
      expect.arrayContaining([
        [bread.id, -2, 'ADJUSTMENT'],
        [milk.id, 4, 'ADJUSTMENT'],
      ]),
    );
    expect(adjustments).toHaveLength(2);
    expect([await quantity(norte, bread.id), await quantity(norte, water.id), await quantity(norte, milk.id)]).toEqual([
      bread0 - 2,
      water0,
      milk0 + 4,
    ]);
    expect(h.since(mark).map((e) => e.event)).toEqual([
      'inventoryCountUpdated',
      'inventoryMovementCreated',
      'inventoryMovementCreated',
      'systemAlertUpdated',
    ]);

    expect(await code(counts.close(manager, opened.id))).toBe('count_closed');
    expect(await code(counts.putLines(manager, opened.id, { lines: [{ productId: bread.id, countedQuantity: 1 }] }))).toBe('count_closed');
  });

  it('keeps a count right while the store sells and receives: stock ends as counted, plus what moved after', async () => {
    const { norte, norteDevice } = h.ids;
    const cashier = await h.as('cashier2@demo.local', norteDevice);
    const [carts, checkouts] = [h.get(CartsService), h.get(CheckoutService)];
    const sell = async (productId: string, quantity: number) => {
      const cart = await carts.create(cashier, {});
      const { total } = await carts.setItems(cashier, cart.id, { items: [{ productId, quantity }] });
      await carts.addPayment(cashier, cart.id, { method: 'CARD', amount: total });
      await checkouts.checkout(cashier, cart.id);
    };
    const stocked = async (sku: string, quantity: number) => {
      const product = await h.prisma.product.create({ data: { companyId: h.ids.companyId, sku, name: sku, price: 10 } });
      await move(manager, { type: 'IN', workspaceId: norte, productId: product.id, quantity });
      return product.id;
    };
    const [sold, emptied, short, miscounted] = [
      await stocked('LIVE-SOLD', 10),
      await stocked('LIVE-EMPTIED', 4),
      await stocked('LIVE-SHORT', 10),
      await stocked('LIVE-MISCOUNTED', 10),
    ];
    const count = await counts.create(manager, { workspaceId: norte, productIds: [sold, emptied, short, miscounted] });
    const countNow = (productId: string, countedQuantity: number) =>
      counts.putLines(manager, count.id, { lines: [{ productId, countedQuantity }] });

    await sell(sold, 3);
    await countNow(sold, 7); // the 7 left on the shelf
    await move(manager, { type: 'IN', workspaceId: norte, productId: sold, quantity: 5 });
    await sell(sold, 1);

    await sell(emptied, 4);
    await countNow(emptied, 0); // a count of 0 after sales

    await countNow(short, 8); // two went missing
    await sell(short, 3);

    await countNow(miscounted, 2); // counted 2 of 10, yet 5 are sold afterwards: the count was wrong
    await sell(miscounted, 5);

    const closed = await counts.close(manager, count.id);
    expect(closed.summary).toEqual({ lines: 4, counted: 4, adjusted: 2 });
    expect([
      await quantity(norte, sold),
      await quantity(norte, emptied),
      await quantity(norte, short),
      await quantity(norte, miscounted),
    ]).toEqual([
      11, // 7 counted + 5 received − 1 sold since
      0,
      5, // 8 counted − 3 sold since
      0, // never below zero
    ]);
    const adjustments = (await movements.list(manager, { countId: count.id, limit: 10 })).items;
    expect(adjustments.map((m) => [m.productId, m.quantity]).sort()).toEqual(
      [
        [short, -2],
        [miscounted, -5],
      ].sort(),
    );
  });

  it('opens a count of every product as a summary, pages its lines, and announces only what changed', async () => {
    const { norte, bread } = h.ids;
    const products = await h.prisma.product.count({ where: { companyId: h.ids.companyId } });
    let mark = h.sent.length;
    const count = await counts.create(manager, { workspaceId: norte });
    expect(count.summary).toEqual({ lines: products, counted: 0, adjusted: 0 });
    expect(h.since(mark)).toMatchObject([{ event: 'inventoryCountUpdated', payload: { count: { summary: count.summary }, lines: [] } }]);

    const skus: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await counts.lines(manager, count.id, { cursor, limit: 3 });
      skus.push(...page.items.map((l) => l.sku));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(skus).toHaveLength(products);
    expect([...skus].sort()).toEqual(skus);

    mark = h.sent.length;
    await counts.putLines(manager, count.id, { lines: [{ productId: bread.id, countedQuantity: await quantity(norte, bread.id) }] });
    const [updated] = h.since(mark);
    expect(updated.payload.count.summary).toEqual({ lines: products, counted: 1, adjusted: 0 });
    expect(updated.payload.lines).toEqual([
      { productId: bread.id, expectedQuantity: await quantity(norte, bread.id), countedQuantity: await quantity(norte, bread.id) },
    ]);

    mark = h.sent.length;
    await counts.close(manager, count.id);
    expect(h.since(mark)).toMatchObject([{ event: 'inventoryCountUpdated', payload: { count: { status: 'CLOSED' }, lines: [] } }]);
    expect(await code(counts.get(otherAdmin, count.id))).toBe('not_found');
  });

  it('consumes lots first-expiring-first', async () => {
    const { centro } = h.ids;
    const product = await h.prisma.product.create({ data: { companyId: h.ids.companyId, sku: 'YOGURT-1', name: 'Yogurt', price: 80 } });
    const lot = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    await move(staff, { type: 'IN', workspaceId: centro, productId: product.id, quantity: 5, expiresAt: lot(10) });
    await move(staff, { type: 'IN', workspaceId: centro, productId: product.id, quantity: 5, expiresAt: lot(2) });
    await move(manager, { type: 'OUT', workspaceId: centro, productId: product.id, quantity: 7 });
    const lots = await h.prisma.stockLot.findMany({ where: { productId: product.id }, orderBy: { expiresAt: 'asc' } });
    expect(lots.map((l) => Number(l.quantity))).toEqual([0, 3]);
  });

  it('lets lots follow the goods: a received or cancelled transfer and a positive adjustment lot them, and expiry alerts see them', async () => {
    const { centro, norte } = h.ids;
    const product = await h.prisma.product.create({ data: { companyId: h.ids.companyId, sku: 'LOT-FOLLOW', name: 'Kefir', price: 90 } });
    const [soon, later] = [2, 20].map((days) => new Date(Date.now() + days * 86_400_000));
    const lotsIn = async (workspaceId: string) => {
      const lots = await h.prisma.stockLot.findMany({ where: { workspaceId, productId: product.id, quantity: { gt: 0 } } });
      const byExpiry: Record<string, number> = {};
      for (const lot of lots) byExpiry[lot.expiresAt.toISOString()] = (byExpiry[lot.expiresAt.toISOString()] ?? 0) + Number(lot.quantity);
      return byExpiry;
    };
    const transfer = (quantity: number) =>
      move(manager, { type: 'TRANSFER', fromWorkspaceId: centro, toWorkspaceId: norte, productId: product.id, quantity });
    await move(manager, { type: 'IN', workspaceId: centro, productId: product.id, quantity: 4, expiresAt: soon.toISOString() });
    await move(manager, { type: 'IN', workspaceId: centro, productId: product.id, quantity: 6, expiresAt: later.toISOString() });

    const received = await transfer(7); // takes the 4 expiring soon, then 3 of the later ones
    await movements.updateTransfer(manager, received.movement.id, { status: 'RECEIVED' });
    expect(await lotsIn(norte)).toEqual({ [soon.toISOString()]: 4, [later.toISOString()]: 3 });

    const cancelled = await transfer(2);
    expect(await lotsIn(centro)).toEqual({ [later.toISOString()]: 1 });
    await movements.updateTransfer(manager, cancelled.movement.id, { status: 'CANCELLED' });
    expect(await lotsIn(centro)).toEqual({ [later.toISOString()]: 3 });

    await move(manager, {
      type: 'ADJUSTMENT',
      workspaceId: norte,
      productId: product.id,
      quantity: 5,
      reason: 'found',
      expiresAt: soon.toISOString(),
    });
    expect(await lotsIn(norte)).toEqual({ [soon.toISOString()]: 9, [later.toISOString()]: 3 });
    expect([await quantity(centro, product.id), await quantity(norte, product.id)]).toEqual([3, 12]);

    const mark = h.sent.length;
    await h.get(AlertSweepService).sweepOnce({ now: new Date(soon.getTime() + 3_600_000), companyId: h.ids.companyId });
    const expired = h
      .since(mark)
      .filter((e) => e.event === 'systemAlert' && e.payload.data.productId === product.id)
      .map((e) => [e.payload.scope.workspaceId, e.payload.data.quantity]);
    expect(expired.sort()).toEqual([
      [norte, 4],
      [norte, 5],
    ]);
  });

  it('keeps other stores and companies out: 404, never visible; adjustments and OUT need inventory:manage', async () => {
    const { centro, sur, tea, coffee } = h.ids;
    expect(
      await code(move(staff, { type: 'ADJUSTMENT', workspaceId: centro, productId: coffee.id, quantity: 1, reason: 'found one' })),
    ).toBe('forbidden');
    expect(await code(move(staff, { type: 'OUT', workspaceId: centro, productId: coffee.id, quantity: 1 }))).toBe('forbidden');
    expect(await code(move(admin, { type: 'IN', workspaceId: centro, productId: tea.id, quantity: 1 }))).toBe('not_found'); // another company's product
    expect(await code(move(admin, { type: 'IN', workspaceId: sur, productId: coffee.id, quantity: 1 }))).toBe('not_found'); // another company's store
    expect(await code(move(cashier2, { type: 'IN', workspaceId: centro, productId: coffee.id, quantity: 1 }))).toBe('not_found'); // not their store
    expect(
      await code(move(admin, { type: 'TRANSFER', fromWorkspaceId: centro, toWorkspaceId: sur, productId: coffee.id, quantity: 1 })),
    ).toBe('not_found');
    expect(await code(stock.list(otherAdmin, { workspaceId: centro, limit: 10 }))).toBe('not_found');
    const centroMovement = await h.prisma.inventoryMovement.findFirstOrThrow({ where: { workspaceId: centro, type: 'IN' } });
    expect((await movements.list(otherAdmin, { limit: 100 })).items.map((m) => m.id)).not.toContain(centroMovement.id);
    expect(await code(movements.updateTransfer(otherAdmin, centroMovement.id, { status: 'RECEIVED' }))).toBe('not_found');
    expect(await code(movements.updateTransfer(admin, centroMovement.id, { status: 'RECEIVED' }))).toBe('not_a_transfer');
  });

  it('lists stock for every product, including ones never moved in a store', async () => {
    const product = await h.prisma.product.create({ data: { companyId: h.ids.companyId, sku: 'NEW-1', name: 'Brand new', price: 10 } });
    const { items } = await stock.list(cashier2, { productId: product.id, limit: 10 });
    expect(items).toEqual([
      { workspaceId: h.ids.norte, productId: product.id, sku: 'NEW-1', name: 'Brand new', quantity: 0, minQuantity: 0, low: false },
    ]);
  });

  it('pages stock by sku and store, every store × product once, however many there are', async () => {
    const products = await h.prisma.product.findMany({ where: { companyId: h.ids.companyId }, orderBy: { sku: 'asc' } });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await stock.list(admin, { cursor, limit: 5 });
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items.map((r) => `${r.sku}@${r.workspaceId}`));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const stores = [h.ids.centro, h.ids.norte].sort();
    expect(seen).toEqual(products.flatMap((p) => stores.map((w) => `${p.sku}@${w}`)));
    const water = (await stock.list(manager, { workspaceId: h.ids.centro, productId: h.ids.water.id, limit: 1 })).items[0];
    expect(water).toMatchObject({ quantity: await quantity(h.ids.centro, h.ids.water.id), minQuantity: 24 });
  });

  it('pages movements newest first with no duplicates or gaps', async () => {
    const all = await h.prisma.inventoryMovement.findMany({
      where: { OR: [{ workspaceId: h.ids.norte }, { toWorkspaceId: h.ids.norte }] },
    });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await movements.list(manager, { workspaceId: h.ids.norte, cursor, limit: 7 });
      const times = page.items.map((m) => m.createdAt);
      expect([...times].sort().reverse()).toEqual(times);
      seen.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(all.length);
    expect(new Set(seen)).toEqual(new Set(all.map((m) => m.id)));
  });
});
