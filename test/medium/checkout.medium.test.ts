import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Principal } from '@retail/auth';
import { businessDate, CartsService, CashSessionsService, CheckoutService, DailyTotalsService, SalesService } from '@retail/pos';

import { describeWithServices, startRetailApp, type RetailApp } from '@retail/testing';

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );

describeWithServices(['postgres'], 'POS checkout on PostgreSQL', () => {
  let h: RetailApp;
  let carts: CartsService, checkouts: CheckoutService, sessions: CashSessionsService, totals: DailyTotalsService, sales: SalesService;
  let cashier1: Principal, cashier2: Principal, manager: Principal, otherAdmin: Principal;

  beforeAll(async () => {
    h = await startRetailApp();
    [carts, checkouts, sessions, totals, sales] = [
      CartsService,
      CheckoutService,
      CashSessionsService,
      DailyTotalsService,
      SalesService,
    ].map((t) => h.get(t as never)) as [CartsService, CheckoutService, CashSessionsService, DailyTotalsService, SalesService];
    cashier1 = await h.as('cashier1@demo.local', h.ids.centroDevice);
    cashier2 = await h.as('cashier2@demo.local', h.ids.norteDevice);
    manager = await h.as('manager@demo.local');
    otherAdmin = await h.as('admin@other.local');
  });
  afterAll(() => h?.close());

  const quantity = async (workspaceId: string, productId: string) =>
    Number((await h.prisma.stock.findUniqueOrThrow({ where: { workspaceId_productId: { workspaceId, productId } } })).quantity);
  const today = (workspaceId: string) => totals.get(manager, { workspaceId });
  /** A cart with these items, paid with `payments` (default: exactly its total by card). */
  const paidCart = async (
    user: Principal,
    items: Array<{ productId: string; quantity: number }>,
    payments?: Array<{ method: 'CASH' | 'CARD' | 'OTHER'; amount: number }>,
  ) => {
    const cart = await carts.create(user, {});
    const priced = await carts.setItems(user, cart.id, { items });
    for (const p of payments ?? [{ method: 'CARD' as const, amount: priced.total }]) await carts.addPayment(user, cart.id, p);
    return priced;
  };

  it('checks out in one transaction and emits sale, totals and movements only after commit', async () => {
    const { centro, centroDevice, bread, milk } = h.ids;
    const [bread0, milk0] = [await quantity(centro, bread.id), await quantity(centro, milk.id)];
    const totals0 = await today(centro);
    const cart = await paidCart(
      cashier1,
      [
        { productId: bread.id, quantity: 2 },
        { productId: milk.id, quantity: 3 },
      ],
      [
        { method: 'CARD', amount: 300 },
        { method: 'CASH', amount: 1000 },
      ],
    );
    const total = 2 * bread.price + 3 * milk.price;
    expect(cart).toMatchObject({ total, status: 'OPEN', deviceId: centroDevice, workspaceId: centro });

    const mark = h.sent.length;
    const sale = await checkouts.checkout(cashier1, cart.id);
    expect(sale).toMatchObject({
      total,
      paid: 1300,
      change: 1300 - total,
      cashierId: cashier1.userId,
      checkedOutById: cashier1.userId,
      businessDate: businessDate(new Date(), 'UTC'),
    });
    expect(sale.lines.map((l) => [l.sku, l.quantity, l.lineTotal])).toEqual([
      ['BREAD-LOAF', 2, 2 * bread.price],
      ['MILK-1L', 3, 3 * milk.price],
    ]);
    expect([await quantity(centro, bread.id), await quantity(centro, milk.id)]).toEqual([bread0 - 2, milk0 - 3]);
    expect(await h.prisma.inventoryMovement.count({ where: { saleId: sale.id, type: 'SALE' } })).toBe(2);
    expect(await h.prisma.payment.count({ where: { saleId: sale.id } })).toBe(2);
    expect((await carts.get(cashier1, cart.id)).status).toBe('COMPLETED');

    const after = await today(centro);
    expect(after.salesCount).toBe(totals0.salesCount + 1);
    expect(after.grossAmount).toBe(totals0.grossAmount + total);
    // Cash is kept net of change, so the methods add up to the gross amount.
    expect(after.byMethod).toEqual({
      CASH: totals0.byMethod.CASH + total - 300,
      CARD: totals0.byMethod.CARD + 300,
      OTHER: totals0.byMethod.OTHER,
    });

    const events = h.since(mark);
    // One event per change: the sale (with its cartId) tells the cart is done, no pos.cart.updated besides.
    expect(events.map((e) => e.event)).toEqual([
      'posSaleCompleted',
      'posDailyTotalsUpdated',
      'inventoryMovementCreated',
      'inventoryMovementCreated',
    ]);
    // The sale's figures; its bookkeeping (receipt number, drawer, warnings, returns) stays in the API.
    const { id: _id, sequence: _sequence, cashSessionId: _drawer, warnings: _warnings, lines, ...figures } = sale;
    expect(events[0].payload).toEqual({
      companyId: h.ids.companyId,
      saleId: sale.id,
      ...figures,
      lines: lines.map(({ returnedQuantity: _returned, ...line }) => line),
    });
    expect(figures).toMatchObject({ source: 'cart', cartId: cart.id, occurredAt: figures.completedAt });
    const { refunds: _, ...sales } = after;
    expect(events[1].payload).toEqual(sales);
    expect(events[2].payload.movement).toMatchObject({ type: 'SALE', workspaceId: centro });
  });

  it('refuses checkout while payments do not cover the total, writing and emitting nothing', async () => {
    const { centro, water } = h.ids;
    const water0 = await quantity(centro, water.id);
    const cart = await paidCart(cashier1, [{ productId: water.id, quantity: 3 }], [{ method: 'CASH', amount: water.price }]);
    const [sales0, mark] = [await h.prisma.sale.count(), h.sent.length];
    const refusal = await checkouts.checkout(cashier1, cart.id).catch((e) => e);
    expect(refusal).toMatchObject({ code: 'payment_insufficient', details: { total: 3 * water.price, paid: water.price } });
    expect(refusal.getStatus()).toBe(422);
    expect(await h.prisma.sale.count()).toBe(sales0);
    expect(await quantity(centro, water.id)).toBe(water0);
    expect((await carts.get(cashier1, cart.id)).status).toBe('OPEN');
    expect(h.since(mark)).toEqual([]);
  });

  it('rolls the whole sale back when one line lacks stock', async () => {
    const { centro, bread, milk } = h.ids;
    const [bread0, milk0] = [await quantity(centro, bread.id), await quantity(centro, milk.id)];
    // Milk sorts either side of bread by id; either way nothing of the sale may remain.
    const cart = await paidCart(cashier1, [
      { productId: milk.id, quantity: 1 },
      { productId: bread.id, quantity: bread0 + 1 },
    ]);
    const [sales0, movements0, mark] = [await h.prisma.sale.count(), await h.prisma.inventoryMovement.count(), h.sent.length];
    const refusal = await checkouts.checkout(cashier1, cart.id).catch((e) => e);
    expect(refusal).toMatchObject({ code: 'insufficient_stock', details: { productId: bread.id, available: bread0 } });
    expect(refusal.getStatus()).toBe(409);
    expect([await quantity(centro, bread.id), await quantity(centro, milk.id)]).toEqual([bread0, milk0]);
    expect([await h.prisma.sale.count(), await h.prisma.inventoryMovement.count()]).toEqual([sales0, movements0]);
    expect((await carts.get(cashier1, cart.id)).status).toBe('PAID');
    expect(h.since(mark)).toEqual([]);
  });

  it('completes a cart once, however many checkouts race for it', async () => {
    const cart = await paidCart(cashier1, [{ productId: h.ids.water.id, quantity: 1 }]);
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => code(checkouts.checkout(cashier1, cart.id))));
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'cart_closed')).toHaveLength(5);
    expect(await h.prisma.sale.count({ where: { cartId: cart.id } })).toBe(1);
    expect(await code(carts.setItems(cashier1, cart.id, { items: [] }))).toBe('cart_closed');
    expect(await code(carts.addPayment(cashier1, cart.id, { method: 'CASH', amount: 1 }))).toBe('cart_closed');
  });

  it('cancels an open or a paid cart, keeping its payments and stock, and emits only after commit', async () => {
    const { centro, water } = h.ids;
    const open = await carts.create(cashier1, {});
    expect(await code(carts.cancel(otherAdmin, open.id))).toBe('not_found');
    expect(await code(carts.cancel(cashier2, open.id))).toBe('not_found'); // another store
    let mark = h.sent.length;
    expect(await carts.cancel(cashier1, open.id)).toMatchObject({ id: open.id, status: 'CANCELLED' });
    expect(h.since(mark)).toMatchObject([
      { event: 'posCartUpdated', payload: expect.objectContaining({ companyId: h.ids.companyId, cartId: open.id, status: 'CANCELLED' }) },
    ]);

    const cart = await paidCart(cashier1, [{ productId: water.id, quantity: 2 }]);
    const [water0, movements0] = [await quantity(centro, water.id), await h.prisma.inventoryMovement.count()];
    mark = h.sent.length;
    const cancelled = await carts.cancel(cashier1, cart.id);
    expect(cancelled).toMatchObject({
      status: 'CANCELLED',
      total: 2 * water.price,
      paid: 2 * water.price,
      items: [{ productId: water.id, quantity: 2 }],
    });
    expect(h.since(mark)).toMatchObject([
      { event: 'posCartUpdated', payload: expect.objectContaining({ cartId: cart.id, status: 'CANCELLED', paid: 2 * water.price }) },
    ]);
    expect(await h.prisma.payment.findMany({ where: { cartId: cart.id } })).toMatchObject([
      { method: 'CARD', amount: BigInt(2 * water.price), saleId: null },
    ]);
    expect([await quantity(centro, water.id), await h.prisma.inventoryMovement.count()]).toEqual([water0, movements0]);

    // Closed for good: no second cancel, no checkout, no changes, and nothing written or emitted.
    mark = h.sent.length;
    expect(await code(carts.cancel(cashier1, cart.id))).toBe('cart_closed');
    expect(await code(checkouts.checkout(cashier1, cart.id))).toBe('cart_closed');
    expect(await code(carts.setItems(cashier1, cart.id, { items: [] }))).toBe('cart_closed');
    expect(await code(carts.addPayment(cashier1, cart.id, { method: 'CASH', amount: 1 }))).toBe('cart_closed');
    expect(await h.prisma.sale.count({ where: { cartId: cart.id } })).toBe(0);
    expect(await quantity(centro, water.id)).toBe(water0);
    expect(h.since(mark)).toEqual([]);
  });

  it('refuses to cancel or check out again a completed cart with 409 cart_closed, naming its sale', async () => {
    const cart = await paidCart(cashier1, [{ productId: h.ids.water.id, quantity: 1 }]);
    const sale = await checkouts.checkout(cashier1, cart.id);
    const mark = h.sent.length;
    const refusal = await carts.cancel(cashier1, cart.id).catch((e) => e);
    expect(refusal).toMatchObject({ code: 'cart_closed', details: { status: 'COMPLETED', saleId: sale.id } });
    expect(refusal.getStatus()).toBe(409);
    expect(await checkouts.checkout(cashier1, cart.id).catch((e) => e)).toMatchObject({
      code: 'cart_closed',
      details: { saleId: sale.id },
    });
    expect((await carts.get(cashier1, cart.id)).status).toBe('COMPLETED');
    expect(await h.prisma.payment.count({ where: { cartId: cart.id, saleId: sale.id } })).toBe(1);
    expect(h.since(mark)).toEqual([]);
  });

  it('lets exactly one of a concurrent cancel and checkout win, with stock taken only by a checkout', async () => {
    const { centro, water } = h.ids;
    for (let round = 0; round < 8; round++) {
      const cart = await paidCart(cashier1, [{ productId: water.id, quantity: 1 }]);
      const [water0, mark] = [await quantity(centro, water.id), h.sent.length];
      const cancel = () => code(carts.cancel(cashier1, cart.id));
      const checkout = () => code(checkouts.checkout(cashier1, cart.id));
      // Either one starts first, alternately.
      const [cancelled, checkedOut] =
        round % 2 ? await Promise.all([cancel(), checkout()]) : (await Promise.all([checkout(), cancel()])).reverse();
      expect([cancelled, checkedOut].sort()).toEqual(['cart_closed', 'ok']);
      const sold = checkedOut === 'ok';
      const status = (await carts.get(cashier1, cart.id)).status;
      expect(status).toBe(sold ? 'COMPLETED' : 'CANCELLED');
      expect(await h.prisma.sale.count({ where: { cartId: cart.id } })).toBe(sold ? 1 : 0);
      expect(await quantity(centro, water.id)).toBe(sold ? water0 - 1 : water0);
      // The winner's one event: the sale, or the cart cancelled.
      expect(
        h
          .since(mark)
          .filter((e) => e.event === 'posCartUpdated' || e.event === 'posSaleCompleted')
          .map((e) => (e.event === 'posSaleCompleted' ? 'COMPLETED' : e.payload.status)),
      ).toEqual([status]);
    }
  });

  it('keeps stock, sales and daily totals exact under 50 concurrent checkouts of scarce stock', async () => {
    const { norte } = h.ids;
    const product = await h.prisma.product.create({
      data: { companyId: h.ids.companyId, sku: 'SCARCE-1', name: 'Scarce item', price: 250 },
    });
    await h.prisma.stock.create({ data: { workspaceId: norte, productId: product.id, quantity: 20, minQuantity: 5 } });
    const cartIds = await Promise.all(
      Array.from({ length: 50 }, async () => (await paidCart(cashier2, [{ productId: product.id, quantity: 1 }])).id),
    );
    const totals0 = await today(norte);
    const mark = h.sent.length;

    const outcomes = await Promise.all(cartIds.map((id) => code(checkouts.checkout(cashier2, id))));
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(20);
    expect(outcomes.filter((o) => o === 'insufficient_stock')).toHaveLength(30);
    expect(await quantity(norte, product.id)).toBe(0);
    expect(await h.prisma.saleLine.count({ where: { productId: product.id } })).toBe(20);
    const totals1 = await today(norte);
    expect(totals1.salesCount - totals0.salesCount).toBe(20);
    expect(totals1.grossAmount - totals0.grossAmount).toBe(20 * 250);

    const events = h.since(mark);
    const count = (event: string) => events.filter((e) => e.event === event).length;
    expect([count('posSaleCompleted'), count('posDailyTotalsUpdated'), count('inventoryMovementCreated')]).toEqual([20, 20, 20]);
    expect(Math.max(...events.filter((e) => e.event === 'posDailyTotalsUpdated').map((e) => e.payload.salesCount))).toBe(
      totals1.salesCount,
    );
    expect(events.filter((e) => e.event === 'systemWarning').map((e) => e.payload.data.quantity)).toEqual([4]); // one crossing below 5
  });

  it('warns about low stock in Centro on the third coffee sale, and only then', async () => {
    const { centro, coffee } = h.ids;
    await h.prisma.stock.update({
      where: { workspaceId_productId: { workspaceId: centro, productId: coffee.id } },
      data: { quantity: 5, minQuantity: 3 },
    });
    const warnings: number[] = [];
    for (let i = 1; i <= 4; i++) {
      const cart = await paidCart(cashier1, [{ productId: coffee.id, quantity: 1 }]);
      const mark = h.sent.length;
      await checkouts.checkout(cashier1, cart.id);
      if (h.since(mark).some((e) => e.event === 'systemWarning' && e.payload.kind === 'LOW_STOCK')) warnings.push(i);
    }
    expect(warnings).toEqual([3]);
  });

  it('tracks the drawer, alerts once when its cash passes the limit, and resolves the alert when the drawer closes', async () => {
    const { norteDevice, water } = h.ids;
    const session = await sessions.open(cashier2, { openingFloat: 1000, cashLimit: 1150 });
    expect(await code(sessions.open(manager, { deviceId: norteDevice, openingFloat: 0, cashLimit: 1 }))).toBe('cash_session_open');
    const alerts: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const cart = await paidCart(cashier2, [{ productId: water.id, quantity: 1 }], [{ method: 'CASH', amount: 500 }]); // 401 change
      const mark = h.sent.length;
      await checkouts.checkout(cashier2, cart.id);
      const alert = h.since(mark).find((e) => e.event === 'systemAlert');
      if (alert) {
        // Addressed to the store's managers (Norte has one), persisted like every notification.
        expect(alert.payload).toMatchObject({
          kind: 'CASH_LIMIT',
          scope: { type: 'user', userId: manager.userId },
          data: { cashSessionId: session.id },
        });
        expect(await h.prisma.notification.count({ where: { kind: 'CASH_LIMIT', userId: manager.userId } })).toBe(1);
        alerts.push(i);
      }
    }
    await paidCart(cashier2, [{ productId: water.id, quantity: 1 }]).then((c) => checkouts.checkout(cashier2, c.id)); // card: not in the drawer
    expect(alerts).toEqual([2]); // 1000 → 1099 → 1198 (over 1150) → 1297
    const mark = h.sent.length;
    const closed = await sessions.close(cashier2, session.id, { countedCash: 1290 });
    const cleared = h.since(mark).filter((e) => e.event === 'systemAlertUpdated');
    expect(cleared).toMatchObject([{ payload: { state: 'resolved', scope: { type: 'user', userId: manager.userId } } }]);
    expect(await h.prisma.notification.findFirst({ where: { kind: 'CASH_LIMIT', userId: manager.userId } })).toMatchObject({
      state: 'resolved',
      resolution: 'auto',
      dedupKey: `cash_limit:${session.id}`,
    });
    expect(closed).toMatchObject({
      status: 'CLOSED',
      expectedCash: 1000 + 3 * water.price,
      countedCash: 1290,
      difference: 1290 - (1000 + 3 * water.price),
    });
    expect(await code(sessions.close(cashier2, session.id, {}))).toBe('cash_session_closed');
    const again = await Promise.all(Array.from({ length: 4 }, () => code(sessions.open(cashier2, { openingFloat: 0, cashLimit: 100 }))));
    expect(again.sort()).toEqual(['cash_session_open', 'cash_session_open', 'cash_session_open', 'ok']);
  });

  it('keeps money exact past 2^31: 30 cash sales of 100,000,000 minor units in one store-day', async () => {
    const { centro, centroDevice } = h.ids;
    const price = 100_000_000;
    const product = await h.prisma.product.create({ data: { companyId: h.ids.companyId, sku: 'BIG-TICKET', name: 'Tractor', price } });
    await h.prisma.stock.create({ data: { workspaceId: centro, productId: product.id, quantity: 30 } });
    const session = await sessions.open(manager, { deviceId: centroDevice, openingFloat: price, cashLimit: price });
    const carts = await Promise.all(
      Array.from({ length: 30 }, () => paidCart(cashier1, [{ productId: product.id, quantity: 1 }], [{ method: 'CASH', amount: price }])),
    );
    const totals0 = await today(centro);

    const sold = await Promise.all(carts.map((cart) => checkouts.checkout(cashier1, cart.id)));
    expect(sold.map((s) => s.total)).toEqual(Array(30).fill(price));
    const totals1 = await today(centro);
    expect(totals1.salesCount - totals0.salesCount).toBe(30);
    expect(totals1.grossAmount - totals0.grossAmount).toBe(3_000_000_000);
    expect(totals1.byMethod.CASH - totals0.byMethod.CASH).toBe(3_000_000_000);
    expect(await sessions.close(manager, session.id, { countedCash: price })).toMatchObject({
      expectedCash: 3_100_000_000,
      difference: -3e9,
    });
    expect(await quantity(centro, product.id)).toBe(0);
  });

  it('caps a cart and its payments far below 2^53, and keeps stock exact past 2^31', async () => {
    const { centro, water } = h.ids;
    const product = await h.prisma.product.create({
      data: { companyId: h.ids.companyId, sku: 'PRICEY', name: 'Pricey', price: 100_000_000 },
    });
    const cart = await carts.create(cashier1, {});
    const at = (quantity: number) => carts.setItems(cashier1, cart.id, { items: [{ productId: product.id, quantity }] });
    expect((await at(10_000)).total).toBe(1_000_000_000_000); // 10^12: the most a cart may total
    const refusal = await carts
      .setItems(cashier1, cart.id, {
        items: [
          { productId: product.id, quantity: 10_000 },
          { productId: water.id, quantity: 1 },
        ],
      })
      .catch((e) => e);
    expect(refusal).toMatchObject({ code: 'cart_total_too_large', details: { max: 1_000_000_000_000 } });
    expect(refusal.getStatus()).toBe(422);
    expect((await carts.get(cashier1, cart.id)).total).toBe(1_000_000_000_000);

    await h.prisma.stock.upsert({
      where: { workspaceId_productId: { workspaceId: centro, productId: product.id } },
      create: { workspaceId: centro, productId: product.id, quantity: 3_000_000_000 },
      update: { quantity: 3_000_000_000 },
    });
    const sale = await checkouts.checkout(
      cashier1,
      (await paidCart(cashier1, [{ productId: product.id, quantity: 1 }], [{ method: 'CARD', amount: 100_000_000 }])).id,
    );
    expect(sale.total).toBe(100_000_000);
    expect(await quantity(centro, product.id)).toBe(2_999_999_999);
  });

  it('refunds each payment of a cancelled cart once, as refunds in the daily totals, leaving the drawer exact', async () => {
    const { centro, centroDevice, water } = h.ids;
    const session = await sessions.open(manager, { deviceId: centroDevice, openingFloat: 1000, cashLimit: 100_000 });
    const totals0 = await today(centro);
    const cart = await paidCart(
      cashier1,
      [{ productId: water.id, quantity: 3 }],
      [
        { method: 'CARD', amount: water.price },
        { method: 'CASH', amount: 500 },
      ],
    );
    const mark = h.sent.length;
    const cancelled = await carts.cancel(cashier1, cart.id);
    expect(cancelled.payments.map((p) => [p.method, p.amount, typeof p.refundedAt])).toEqual([
      ['CARD', water.price, 'string'],
      ['CASH', 500, 'string'],
    ]);
    expect(h.since(mark).map((e) => e.event)).toEqual(['posCartUpdated']);
    const refunds = await h.prisma.refund.findMany({ where: { payment: { cartId: cart.id } }, include: { payment: true } });
    expect(refunds.map((r) => [r.payment.method, Number(r.amount), r.refundedById]).sort()).toEqual([
      ['CARD', water.price, cashier1.userId],
      ['CASH', 500, cashier1.userId],
    ]);

    const totals1 = await today(centro);
    const { refunds: refunds0, ...sales0 } = totals0;
    expect(totals1).toMatchObject(sales0); // not a sale
    expect(totals1.refunds).toEqual({
      count: refunds0.count + 2,
      amount: refunds0.amount + water.price + 500,
      byMethod: { CASH: refunds0.byMethod.CASH + 500, CARD: refunds0.byMethod.CARD + water.price, OTHER: refunds0.byMethod.OTHER },
    });
    // The drawer counts cash at checkout: the 500 handed back never entered its expected cash.
    expect(await sessions.close(manager, session.id, { countedCash: 1000 })).toMatchObject({ expectedCash: 1000, difference: 0 });

    // One cancel, one refund: a second cancel, or racing ones, refund nothing more.
    expect(await code(carts.cancel(cashier1, cart.id))).toBe('cart_closed');
    const raced = await paidCart(cashier1, [{ productId: water.id, quantity: 1 }]);
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => code(carts.cancel(cashier1, raced.id))));
    expect(outcomes.sort()).toEqual(['cart_closed', 'cart_closed', 'cart_closed', 'cart_closed', 'ok']);
    expect(await h.prisma.refund.count({ where: { payment: { cartId: { in: [cart.id, raced.id] } } } })).toBe(3);
    expect((await today(centro)).refunds).toMatchObject({ count: totals1.refunds.count + 1, amount: totals1.refunds.amount + water.price });
  });

  it("stamps a sale and its business day with the database's clock, not the replica's", async () => {
    const cart = await paidCart(cashier1, [{ productId: h.ids.water.id, quantity: 1 }]);
    const skewed = new Date(Date.now() + 36 * 3600_000); // this replica's clock runs a day and a half fast
    vi.useFakeTimers({ toFake: ['Date'], now: skewed });
    const sale = await checkouts.checkout(cashier1, cart.id).finally(() => vi.useRealTimers());
    expect(Math.abs(new Date(sale.completedAt).getTime() - Date.now())).toBeLessThan(60_000);
    expect(sale.businessDate).toBe(businessDate(new Date(), 'UTC'));
    expect(sale.businessDate).not.toBe(businessDate(skewed, 'UTC'));
  });

  it("alerts the company's admins, not the store's cashiers, when a store without a manager passes its cash limit", async () => {
    const { companyId, water } = h.ids;
    const store = await h.prisma.workspace.create({
      data: { companyId, name: 'Este', devices: { create: { name: 'POS-ESTE-1' } } },
      include: { devices: true },
    });
    await h.prisma.user.create({
      data: {
        companyId,
        email: 'cashier3@demo.local',
        name: 'Cleo Cashier',
        role: 'CASHIER',
        passwordHash: '-',
        workspaces: { create: { workspaceId: store.id } },
      },
    });
    await h.prisma.stock.create({ data: { workspaceId: store.id, productId: water.id, quantity: 5 } });
    const cashier3 = await h.as('cashier3@demo.local', store.devices[0].id);
    const admin = await h.as('admin@demo.local');
    await sessions.open(cashier3, { openingFloat: 0, cashLimit: 50 });
    const cart = await paidCart(cashier3, [{ productId: water.id, quantity: 1 }], [{ method: 'CASH', amount: water.price }]);
    const mark = h.sent.length;
    await checkouts.checkout(cashier3, cart.id);
    const alerts = h.since(mark).filter((e) => e.event === 'systemAlert');
    expect(alerts).toMatchObject([
      { payload: { kind: 'CASH_LIMIT', scope: { type: 'user', userId: admin.userId } }, rooms: [`user:${admin.userId}`] },
    ]);
    // Addressed to the admin alone, naming the store it is about (never the store's room, where its cashiers are).
    const stored = await h.prisma.notification.findMany({ where: { kind: 'CASH_LIMIT', workspaceId: store.id } });
    expect(stored).toMatchObject([
      { scopeType: 'USER', userId: admin.userId, state: 'open', dedupKey: expect.stringMatching(/^cash_limit:/) },
    ]);
  });

  it("keys daily totals by the store's local day", async () => {
    const { norte, water } = h.ids;
    // UTC+14 or UTC−11: at any hour one of them is on another day than UTC.
    const utcDay = businessDate(new Date(), 'UTC');
    const timeZone = ['Pacific/Kiritimati', 'Pacific/Pago_Pago'].find((tz) => businessDate(new Date(), tz) !== utcDay)!;
    await h.prisma.workspace.update({ where: { id: norte }, data: { timeZone } });
    try {
      const sale = await checkouts.checkout(cashier2, (await paidCart(cashier2, [{ productId: water.id, quantity: 1 }])).id);
      expect(sale.businessDate).toBe(businessDate(new Date(sale.completedAt), timeZone));
      expect(sale.businessDate).not.toBe(utcDay);
      expect(await today(norte)).toMatchObject({ businessDate: sale.businessDate, salesCount: 1, grossAmount: water.price });
    } finally {
      await h.prisma.workspace.update({ where: { id: norte }, data: { timeZone: 'UTC' } });
    }
    expect(await totals.get(manager, { workspaceId: norte, date: '2001-01-01' })).toMatchObject({
      salesCount: 0,
      grossAmount: 0,
      byMethod: { CASH: 0, CARD: 0, OTHER: 0 },
    });
  });

  it('refuses bad input with a code and writes nothing', async () => {
    const { tea, water } = h.ids;
    const cart = await carts.create(cashier1, {});
    expect(await code(carts.setItems(cashier1, cart.id, { items: [{ productId: tea.id, quantity: 1 }] }))).toBe('not_found'); // another company's product
    expect(await code(carts.addPayment(cashier1, cart.id, { method: 'CASH', amount: 100 }))).toBe('cart_empty');
    expect(await code(checkouts.checkout(cashier1, cart.id))).toBe('cart_empty');
    await carts.setItems(cashier1, cart.id, { items: [{ productId: water.id, quantity: 2 }] });
    expect(await code(carts.addPayment(cashier1, cart.id, { method: 'CARD', amount: 2 * water.price + 1 }))).toBe('overpayment');
    const paid = await carts.addPayment(cashier1, cart.id, { method: 'CARD', amount: 2 * water.price });
    expect(paid).toMatchObject({ status: 'PAID', remaining: 0 });
    expect(await code(carts.addPayment(cashier1, cart.id, { method: 'CASH', amount: 1 }))).toBe('cart_paid');
    // Fewer items after a card payment would leave the card above the total, and change is only given
    // in cash: refused, so the cart stays payable. More items reopen it for the rest.
    const mark = h.sent.length;
    expect(await code(carts.setItems(cashier1, cart.id, { items: [{ productId: water.id, quantity: 1 }] }))).toBe('overpayment');
    expect(await code(carts.setItems(cashier1, cart.id, { items: [] }))).toBe('overpayment');
    expect(h.since(mark)).toEqual([]);
    expect((await h.prisma.cartItem.findMany({ where: { cartId: cart.id } })).map((i) => i.quantity)).toEqual([2]);
    expect(await carts.setItems(cashier1, cart.id, { items: [{ productId: water.id, quantity: 3 }] })).toMatchObject({
      status: 'OPEN',
      remaining: water.price,
    });
    await carts.addPayment(cashier1, cart.id, { method: 'CASH', amount: 500 });
    // Cash may end above a smaller total: it becomes change, and the cart still checks out.
    expect(await carts.setItems(cashier1, cart.id, { items: [{ productId: water.id, quantity: 2 }] })).toMatchObject({
      status: 'PAID',
      change: 500,
    });
    expect(await checkouts.checkout(cashier1, cart.id)).toMatchObject({ total: 2 * water.price, change: 500 });
  });

  it("binds cashiers to their device and keeps other stores' and companies' carts out of sight", async () => {
    const { centroDevice, norteDevice } = h.ids;
    const noDevice = await h.as('cashier1@demo.local');
    expect(await code(carts.create(noDevice, {}))).toBe('validation_failed');
    expect(await code(carts.create(cashier1, { deviceId: norteDevice }))).toBe('device_forbidden');
    expect(await carts.create(manager, { deviceId: norteDevice })).toMatchObject({ deviceId: norteDevice, workspaceId: h.ids.norte });
    expect(await code(carts.create(otherAdmin, { deviceId: centroDevice }))).toBe('not_found');
    const cart = await carts.create(cashier1, {});
    expect(await code(carts.get(cashier2, cart.id))).toBe('not_found');
    expect(await code(carts.get(otherAdmin, cart.id))).toBe('not_found');
    expect(await code(checkouts.checkout(otherAdmin, cart.id))).toBe('not_found');
    expect(await code(totals.get(otherAdmin, { workspaceId: h.ids.centro }))).toBe('not_found');
    expect((await sales.list(otherAdmin, { limit: 100 })).items).toEqual([]);
    expect((await sales.list(cashier2, { limit: 100 })).items.every((s) => s.workspaceId === h.ids.norte)).toBe(true);
  });

  it('drives a cart only from its own device, or with pos:manage, and records who checked it out', async () => {
    const { centro, water } = h.ids;
    const secondTill = await h.prisma.posDevice.create({ data: { workspaceId: centro, name: 'POS-CENTRO-2' } });
    const [onOwnTill, onSecondTill, noDevice] = [
      cashier1,
      await h.as('cashier1@demo.local', secondTill.id),
      await h.as('cashier1@demo.local'),
    ];
    const cart = await carts.create(onOwnTill, {});
    const items = { items: [{ productId: water.id, quantity: 1 }] };
    const mark = h.sent.length;
    for (const stranger of [onSecondTill, noDevice]) {
      expect(await code(carts.setItems(stranger, cart.id, items))).toBe('device_forbidden');
      expect(await code(carts.addPayment(stranger, cart.id, { method: 'CARD', amount: water.price }))).toBe('device_forbidden');
      expect(await code(carts.cancel(stranger, cart.id))).toBe('device_forbidden');
      expect(await code(checkouts.checkout(stranger, cart.id))).toBe('device_forbidden');
    }
    expect(h.since(mark)).toEqual([]);
    expect(await carts.get(onSecondTill, cart.id)).toMatchObject({ id: cart.id, status: 'OPEN', total: 0 }); // reading stays store-wide

    await carts.setItems(onOwnTill, cart.id, items);
    await carts.addPayment(manager, cart.id, { method: 'CARD', amount: water.price }); // pos:manage: any device of their stores
    const sale = await checkouts.checkout(manager, cart.id);
    expect(sale).toMatchObject({ cartId: cart.id, cashierId: cashier1.userId, checkedOutById: manager.userId });
    expect(h.since(mark).find((e) => e.event === 'posSaleCompleted')?.payload).toMatchObject({
      cashierId: cashier1.userId,
      checkedOutById: manager.userId,
    });
    expect(await h.prisma.sale.findUniqueOrThrow({ where: { id: sale.id } })).toMatchObject({ checkedOutById: manager.userId });
  });

  it('pages sales newest first within a time window', async () => {
    const { centro } = h.ids;
    const all = await h.prisma.sale.findMany({ where: { workspaceId: centro } });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await sales.list(manager, { workspaceId: centro, cursor, limit: 3 });
      seen.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen)).toEqual(new Set(all.map((s) => s.id)));
    expect(seen).toHaveLength(all.length);
    const future = new Date(Date.now() + 60_000);
    expect((await sales.list(manager, { workspaceId: centro, from: future, limit: 10 })).items).toEqual([]);
    expect((await sales.list(manager, { workspaceId: centro, to: future, limit: 100 })).items).toHaveLength(Math.min(all.length, 100));
  });
});
