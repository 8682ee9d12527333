import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Principal } from '@retail/auth';
import { ProductsService } from '@retail/inventory';
import { businessDate, CashSessionsService, DailyTotalsService, SaleReturnsService, SalesService, TillSalesService } from '@retail/pos';
import { describeWithServices, startRetailApp, tillSale, type RetailApp } from '@retail/testing';

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );
const HOUR = 3_600_000;

describeWithServices(['postgres'], 'Till sales on PostgreSQL', () => {
  let h: RetailApp;
  let tillSales: TillSalesService, returns: SaleReturnsService, drawers: CashSessionsService, totals: DailyTotalsService;
  let sales: SalesService, products: ProductsService;
  let cashier1: Principal, cashier2: Principal, manager: Principal, admin: Principal;

  beforeAll(async () => {
    h = await startRetailApp();
    tillSales = h.get(TillSalesService);
    returns = h.get(SaleReturnsService);
    drawers = h.get(CashSessionsService);
    totals = h.get(DailyTotalsService);
    sales = h.get(SalesService);
    products = h.get(ProductsService);
    cashier1 = await h.as('cashier1@demo.local', h.ids.centroDevice);
    cashier2 = await h.as('cashier2@demo.local', h.ids.norteDevice);
    manager = await h.as('manager@demo.local');
    admin = await h.as('admin@demo.local');
  });
  afterAll(() => h?.close());

  const quantity = async (workspaceId: string, productId: string) =>
    Number((await h.prisma.stock.findUniqueOrThrow({ where: { workspaceId_productId: { workspaceId, productId } } })).quantity);
  /** A sale as a till makes it (its own id, now, paid by card), with what the test changes. */
  const madeAtTill = (lines: Array<{ productId: string; quantity: number; unitPrice: number }>, extra: Record<string, unknown> = {}) => ({
    ...tillSale(lines),
    ...extra,
  });
  const one = (product: { id: string; price: number }, n = 1) => [{ productId: product.id, quantity: n, unitPrice: product.price }];

  it('stores a sale once, counts it once, and sends its events once', async () => {
    const { centro, bread, milk } = h.ids;
    const [bread0, milk0] = [await quantity(centro, bread.id), await quantity(centro, milk.id)];
    const day0 = await totals.get(manager, { workspaceId: centro });
    const sale = madeAtTill([...one(bread, 2), ...one(milk)], { sequence: 1 });
    const mark = h.sent.length;

    const stored = await tillSales.recordOne(cashier1, sale);
    expect(stored.created).toBe(true);
    expect(stored.sale).toMatchObject({
      id: sale.id,
      source: 'till',
      cartId: null,
      sequence: 1,
      total: 2 * bread.price + milk.price,
      warnings: [],
      occurredAt: sale.occurredAt,
      businessDate: businessDate(new Date(), 'UTC'),
      lines: [
        { productId: bread.id, quantity: 2, sku: 'BREAD-LOAF', returnedQuantity: 0 },
        { productId: milk.id, quantity: 1, sku: 'MILK-1L', returnedQuantity: 0 },
      ],
    });
    expect([await quantity(centro, bread.id), await quantity(centro, milk.id)]).toEqual([bread0 - 2, milk0 - 1]);
    const events = h.since(mark);
    expect(events.map((e) => e.event)).toEqual([
      'posSaleCompleted',
      'posDailyTotalsUpdated',
      'inventoryMovementCreated',
      'inventoryMovementCreated',
    ]);
    expect(events[0].payload).toMatchObject({ saleId: sale.id, source: 'till', occurredAt: sale.occurredAt, total: stored.sale.total });
    expect(events[0].payload).not.toHaveProperty('cartId');

    // Sent again, alone or with others at once: the same sale, nothing counted or sent again.
    const again = await Promise.all(Array.from({ length: 5 }, () => tillSales.recordOne(cashier1, sale)));
    expect(again.every((r) => !r.created && r.sale.id === sale.id && r.sale.total === stored.sale.total)).toBe(true);
    expect(h.since(mark)).toHaveLength(4);
    expect((await totals.get(manager, { workspaceId: centro })).salesCount).toBe(day0.salesCount + 1);
    expect(await quantity(centro, bread.id)).toBe(bread0 - 2);

    // The same id with other content is a conflict, and writes nothing.
    expect(await code(tillSales.recordOne(cashier1, { ...sale, lines: one(bread, 3) }))).toBe('sale_conflict');
    expect(await code(tillSales.recordOne(cashier2, sale))).toBe('sale_conflict'); // another till
    expect(await quantity(centro, bread.id)).toBe(bread0 - 2);
  });

  it('stores a sale sent ten times at once exactly once', async () => {
    const { centro, water } = h.ids;
    const [water0, day0] = [await quantity(centro, water.id), await totals.get(manager, { workspaceId: centro })];
    const sale = madeAtTill(one(water, 3));
    const mark = h.sent.length;
    const results = await Promise.all(Array.from({ length: 10 }, () => tillSales.recordOne(cashier1, sale)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await h.prisma.sale.count({ where: { id: sale.id } })).toBe(1);
    expect(await quantity(centro, water.id)).toBe(water0 - 3);
    expect((await totals.get(manager, { workspaceId: centro })).salesCount).toBe(day0.salesCount + 1);
    expect(h.since(mark).filter((e) => e.event === 'posSaleCompleted')).toHaveLength(1);
  });

  it('answers every sale of an upload on its own, in order, and one daily-totals event per day', async () => {
    const { centro, water, bread } = h.ids;
    const stored = madeAtTill(one(water));
    await tillSales.recordOne(cashier1, stored);
    const yesterday = new Date(Date.now() - 24 * HOUR).toISOString();
    const good = [
      madeAtTill(one(water)),
      madeAtTill(one(bread), { occurredAt: yesterday }),
      madeAtTill(one(water), { occurredAt: yesterday }),
    ];
    const underpaid = { ...madeAtTill(one(bread, 2)), payments: [{ method: 'CASH', amount: 1 }] };
    const overpaidByCard = { ...madeAtTill(one(bread)), payments: [{ method: 'CARD', amount: bread.price + 1 }] };
    const mark = h.sent.length;
    const results = await tillSales.sync(cashier1, [
      good[0],
      { ...stored },
      { ...stored, lines: one(water, 2) },
      { id: 'not-a-uuid', lines: [] },
      underpaid,
      madeAtTill(one(water), { occurredAt: new Date(Date.now() - 40 * 24 * HOUR).toISOString() }),
      madeAtTill(one(water), { occurredAt: new Date(Date.now() + 25 * HOUR).toISOString() }),
      madeAtTill([{ productId: randomUUID(), quantity: 1, unitPrice: 100 }]),
      overpaidByCard,
      good[1],
      good[2],
      good[0],
    ]);
    expect(results.map((r) => [r.status, r.error?.code ?? null])).toEqual([
      ['accepted', null],
      ['duplicate', null],
      ['conflict', 'sale_conflict'],
      ['rejected', 'validation_failed'],
      ['rejected', 'payment_insufficient'],
      ['rejected', 'sale_too_old'],
      ['rejected', 'occurred_in_future'],
      ['rejected', 'unknown_product'],
      ['rejected', 'overpayment'],
      ['accepted', null],
      ['accepted', null],
      ['duplicate', null], // the same sale twice in one upload
    ]);
    expect(results.map((r) => r.id)).toEqual([
      good[0].id,
      stored.id,
      stored.id,
      'not-a-uuid',
      underpaid.id,
      expect.any(String),
      expect.any(String),
      expect.any(String),
      overpaidByCard.id,
      good[1].id,
      good[2].id,
      good[0].id,
    ]);
    expect(results[9].sale!.businessDate).toBe(businessDate(new Date(yesterday), 'UTC'));
    const events = h.since(mark);
    expect(events.filter((e) => e.event === 'posSaleCompleted')).toHaveLength(3);
    expect(events.filter((e) => e.event === 'posDailyTotalsUpdated').map((e) => e.payload.businessDate)).toEqual([
      businessDate(new Date(yesterday), 'UTC'),
      businessDate(new Date(), 'UTC'),
    ]);
    expect(await h.prisma.sale.count({ where: { workspaceId: centro, id: { in: [underpaid.id, overpaidByCard.id] } } })).toBe(0);
  });

  it("counts a sale on the store's local day of when it happened, not of its upload", async () => {
    const { norte, norteDevice, water } = h.ids;
    await h.prisma.workspace.update({ where: { id: norte }, data: { timeZone: 'America/Mexico_City' } });
    try {
      // 23:58 yesterday in Mexico City (UTC-6, no daylight saving): 05:58 UTC today.
      const today = businessDate(new Date(), 'America/Mexico_City');
      const yesterday = new Date(`${today}T00:00:00Z`);
      yesterday.setUTCDate(yesterday.getUTCDate() - 1);
      const day = yesterday.toISOString().slice(0, 10);
      const occurredAt = new Date(`${day}T23:58:00-06:00`).toISOString();
      const before = await totals.get(manager, { workspaceId: norte, date: day });
      const { sale } = await tillSales.recordOne(cashier2, madeAtTill(one(water), { occurredAt }));
      expect(sale).toMatchObject({ businessDate: day, deviceId: norteDevice, occurredAt });
      const after = await totals.get(manager, { workspaceId: norte, date: day });
      expect(after.salesCount).toBe(before.salesCount + 1);
      expect(after.grossAmount).toBe(before.grossAmount + water.price);
    } finally {
      await h.prisma.workspace.update({ where: { id: norte }, data: { timeZone: 'UTC' } });
    }
  });

  it('never refuses a paid sale for stock: stock goes below zero and warns once while it stays there', async () => {
    const { norte, coffee } = h.ids;
    const left = await quantity(norte, coffee.id);
    let mark = h.sent.length;
    const { sale } = await tillSales.recordOne(cashier2, madeAtTill(one(coffee, left + 2)));
    expect(sale.warnings).toEqual([]);
    expect(await quantity(norte, coffee.id)).toBe(-2);
    const alerts = h.since(mark).filter((e) => e.event === 'systemWarning');
    expect(alerts.map((e) => e.payload.kind).sort()).toEqual(['LOW_STOCK', 'NEGATIVE_STOCK']);
    expect(alerts.find((e) => e.payload.kind === 'NEGATIVE_STOCK')!.payload).toMatchObject({
      scope: { type: 'workspace', workspaceId: norte },
      data: { productId: coffee.id, quantity: -2 },
    });

    mark = h.sent.length;
    await tillSales.recordOne(cashier2, madeAtTill(one(coffee)));
    expect(await quantity(norte, coffee.id)).toBe(-3);
    expect(h.since(mark).filter((e) => e.event === 'systemWarning')).toEqual([]);
  });

  it('keeps what the till charged, and says where it differed', async () => {
    const { water } = h.ids;
    const { sale } = await tillSales.recordOne(
      cashier1,
      madeAtTill([{ productId: water.id, quantity: 2, unitPrice: water.price - 10 }], {
        occurredAt: new Date(Date.now() + 10 * 60_000).toISOString(),
      }),
    );
    expect(sale).toMatchObject({ total: 2 * (water.price - 10), warnings: ['price_mismatch', 'clock_skew'] });
    expect(sale.lines[0]).toMatchObject({ unitPrice: water.price - 10, lineTotal: 2 * (water.price - 10) });
  });

  it("takes a sale's cash into its drawer; a drawer closed since counts it apart, as late", async () => {
    const { water } = h.ids;
    const cash = (amount: number) => [{ method: 'CASH' as const, amount }];
    const noDrawer = await tillSales.recordOne(cashier1, { ...madeAtTill(one(water)), payments: cash(water.price) });
    expect(noDrawer.sale.warnings).toEqual(['no_cash_session']);

    const drawer = await drawers.open(cashier1, { openingFloat: 1000, cashLimit: 100_000 });
    const inDrawer = await tillSales.recordOne(cashier1, { ...madeAtTill(one(water)), payments: cash(500) });
    expect(inDrawer.sale).toMatchObject({ cashSessionId: drawer.id, change: 500 - water.price, warnings: [] });
    expect((await drawers.get(manager, drawer.id)).expectedCash).toBe(1000 + water.price);
    const closed = await drawers.close(cashier1, drawer.id, { countedCash: 1000 + water.price });

    const mark = h.sent.length;
    const late = await tillSales.sync(cashier1, [
      { ...madeAtTill(one(water)), payments: cash(water.price), cashSessionId: drawer.id },
      { ...madeAtTill(one(water, 2)), payments: cash(1000), cashSessionId: drawer.id },
    ]);
    expect(late.map((r) => [r.status, r.sale?.warnings])).toEqual([
      ['accepted', ['late_sale']],
      ['accepted', ['late_sale']],
    ]);
    const after = await drawers.get(manager, drawer.id);
    expect(after).toMatchObject({
      status: 'CLOSED',
      expectedCash: closed.expectedCash,
      countedCash: closed.countedCash,
      lateSalesCount: 2,
      lateCashAmount: 3 * water.price,
    });
    // One warning per manager of the store for the upload, not one per sale.
    const warnings = h.since(mark).filter((e) => e.event === 'systemWarning' && e.payload.kind === 'LATE_SALE');
    const centroManagers = await h.prisma.user.count({ where: { role: 'MANAGER', workspaces: { some: { workspaceId: h.ids.centro } } } });
    expect(warnings).toHaveLength(centroManagers);
    expect(warnings[0].payload.data).toMatchObject({ cashSessionId: drawer.id, sales: 2, cash: 3 * water.price });

    // A drawer of another till is not this till's.
    const foreign = await drawers.open(cashier2, { openingFloat: 0, cashLimit: 100_000 });
    expect(await code(tillSales.recordOne(cashier1, madeAtTill(one(water), { cashSessionId: foreign.id })))).toBe('cash_session_unknown');
    await drawers.close(cashier2, foreign.id, {});
  });

  it('shows the holes in a till receipt counter', async () => {
    const { norteDevice, water } = h.ids;
    await tillSales.sync(
      cashier2,
      [1, 2, 5, 9].map((sequence) => madeAtTill(one(water), { sequence })),
    );
    expect(await sales.syncState(manager, norteDevice)).toMatchObject({ lastSequence: 9, missingSequences: [3, 4, 6, 7, 8] });
    const [taken] = await tillSales.sync(cashier2, [madeAtTill(one(water), { sequence: 5 })]);
    expect(taken).toMatchObject({ status: 'rejected', error: { code: 'sequence_taken' } });
    expect(await code(sales.syncState(await h.as('admin@other.local'), norteDevice))).toBe('not_found');
  });

  it('takes goods back within what was sold, once per return id, even when returns race', async () => {
    const { centro, bread, milk } = h.ids;
    const { sale } = await tillSales.recordOne(cashier1, madeAtTill([...one(bread, 3), ...one(milk, 1)]));
    const bread0 = await quantity(centro, bread.id);
    const day0 = await totals.get(manager, { workspaceId: centro });
    const request = {
      id: randomUUID(),
      lines: [{ productId: bread.id, quantity: 1 }],
      refunds: [{ method: 'CARD' as const, amount: bread.price }],
      reason: 'stale',
    };
    const mark = h.sent.length;
    const first = await returns.record(cashier1, sale.id, request);
    expect(first).toMatchObject({ created: true, saleReturn: { saleId: sale.id, refundAmount: bread.price, lines: request.lines } });
    expect(await returns.record(cashier1, sale.id, request)).toMatchObject({ created: false, saleReturn: { id: request.id } });
    expect(await code(returns.record(cashier1, sale.id, { ...request, reason: 'other' }))).toBe('return_conflict');
    expect(await quantity(centro, bread.id)).toBe(bread0 + 1);
    const day1 = await totals.get(manager, { workspaceId: centro });
    expect(day1.refunds).toMatchObject({ count: day0.refunds.count + 1, amount: day0.refunds.amount + bread.price });
    expect(day1.salesCount).toBe(day0.salesCount);
    expect(h.since(mark).map((e) => e.event)).toEqual(['inventoryMovementCreated', 'posSaleReturned']);
    expect(h.since(mark)[0].payload.movement).toMatchObject({ type: 'RETURN', quantity: 1 });

    // Two left of the bread: five racing returns of one take them, and no more.
    const racing = await Promise.all(
      Array.from({ length: 5 }, () => code(returns.record(cashier1, sale.id, { ...request, id: randomUUID(), refunds: [] }))),
    );
    expect(racing.filter((r) => r === 'ok')).toHaveLength(2);
    expect(racing.filter((r) => r === 'return_exceeds_sale')).toHaveLength(3);
    expect((await sales.get(manager, sale.id)).lines.map((l) => l.returnedQuantity)).toEqual([3, 0]);
    expect(await quantity(centro, bread.id)).toBe(bread0 + 3);

    expect(
      await code(
        returns.record(cashier1, sale.id, {
          id: randomUUID(),
          lines: [{ productId: milk.id, quantity: 1 }],
          refunds: [{ method: 'CASH', amount: milk.price + 1 }],
          reason: 'x',
        }),
      ),
    ).toBe('refund_exceeds_return');
    expect(await code(returns.record(cashier2, sale.id, { ...request, id: randomUUID() }))).toBe('not_found'); // another store's cashier
  });

  it('gives tills the catalog whole or since a version, and announces every change', async () => {
    const whole = await products.catalog(h.ids.companyId, undefined);
    expect(whole.products.map((p) => p.sku)).toEqual(expect.arrayContaining(['BREAD-LOAF', 'MILK-1L', 'WATER-500', 'COFFEE-250']));
    expect(whole.products.every((p) => p.active)).toBe(true);
    expect(await products.catalog(h.ids.companyId, BigInt(whole.version))).toEqual({ version: whole.version, products: [], removed: [] });

    const mark = h.sent.length;
    const added = await products.create(admin, { sku: 'CATALOG-T1', name: 'Catalog test', price: 300, unit: 'unit' });
    await products.update(admin, h.ids.milk.id, { price: 139 });
    await products.update(admin, added.id, { active: false });
    const delta = await products.catalog(h.ids.companyId, BigInt(whole.version));
    expect(BigInt(delta.version)).toBe(BigInt(whole.version) + 3n);
    expect(delta.products.map((p) => [p.sku, p.price, p.active])).toEqual([
      ['CATALOG-T1', 300, false],
      ['MILK-1L', 139, true],
    ]);
    await products.remove(admin, added.id);
    const removed = await products.catalog(h.ids.companyId, BigInt(delta.version));
    expect(removed).toEqual({ version: String(BigInt(delta.version) + 1n), products: [], removed: [added.id] });
    expect((await products.catalog(h.ids.companyId, undefined)).products.some((p) => p.id === added.id)).toBe(false);
    expect(
      h
        .since(mark)
        .filter((e) => e.event === 'posCatalogChanged')
        .map((e) => [e.payload.version, e.rooms]),
    ).toEqual([1n, 2n, 3n, 4n].map((n) => [String(BigInt(whole.version) + n), [`catalog:${h.ids.companyId}`]]));
    await products.update(admin, h.ids.milk.id, { price: h.ids.milk.price });

    // A sale of a product no longer sold is still the customer's: stored, and said.
    const { sale } = await tillSales.recordOne(cashier1, madeAtTill([{ productId: added.id, quantity: 1, unitPrice: 300 }]));
    expect(sale.warnings).toEqual(['product_inactive']);
  });
});
