import { afterAll, beforeAll, expect, it } from 'vitest';
import { CountsService } from '@retail/inventory';
import { describeWithServices, startRetailApp, type RetailApp } from '@retail/testing';

const LINES = 20_000;
const PER_PUT = 1000; // the most one PUT …/lines takes

describeWithServices(['postgres'], 'a 20,000-line stock count on PostgreSQL', () => {
  let h: RetailApp;

  beforeAll(async () => {
    h = await startRetailApp();
    // 20,000 products, 10 of each in Centro.
    await h.prisma.$executeRaw`
      INSERT INTO "Product" (id, "companyId", sku, name, price, "updatedAt")
      SELECT gen_random_uuid(), ${h.ids.companyId}::uuid, 'BULK-' || lpad(i::text, 5, '0'), 'Bulk item ' || i, 100, now()
      FROM generate_series(1, ${LINES}) AS i`;
    await h.prisma.$executeRaw`
      INSERT INTO "Stock" ("workspaceId", "productId", quantity, "updatedAt")
      SELECT ${h.ids.centro}::uuid, id, 10, now() FROM "Product" WHERE sku LIKE 'BULK-%'`;
  });
  afterAll(() => h?.close());

  it('opens, counts and closes within its transactions, leaving stock exactly as counted', async () => {
    const counts = h.get(CountsService);
    const manager = await h.as('manager@demo.local');
    const bulk = await h.prisma.product.findMany({
      where: { sku: { startsWith: 'BULK-' } },
      select: { id: true },
      orderBy: { sku: 'asc' },
    });
    const counted = (i: number) => [10, 9, 12][i % 3]; // a third as booked, a third one short, a third two over

    const count = await counts.create(manager, { workspaceId: h.ids.centro });
    expect(count.summary).toEqual({ lines: LINES + 4, counted: 0, adjusted: 0 }); // the 4 demo products too
    for (let i = 0; i < LINES; i += PER_PUT) {
      const lines = bulk.slice(i, i + PER_PUT).map((p, j) => ({ productId: p.id, countedQuantity: counted(i + j) }));
      await counts.putLines(manager, count.id, { lines });
    }

    const mark = h.sent.length;
    const closed = await counts.close(manager, count.id);
    const differing = bulk.filter((_, i) => counted(i) !== 10).length;
    expect(closed.summary).toEqual({ lines: LINES + 4, counted: LINES, adjusted: differing });

    const stock = await h.prisma.stock.groupBy({
      by: ['quantity'],
      where: { workspaceId: h.ids.centro, product: { sku: { startsWith: 'BULK-' } } },
      _count: true,
      orderBy: { quantity: 'asc' },
    });
    expect(stock.map((s) => [Number(s.quantity), s._count])).toEqual([
      [9, bulk.filter((_, i) => counted(i) === 9).length],
      [10, bulk.filter((_, i) => counted(i) === 10).length],
      [12, bulk.filter((_, i) => counted(i) === 12).length],
    ]);
    expect(await h.prisma.inventoryMovement.count({ where: { countId: count.id, type: 'ADJUSTMENT' } })).toBe(differing);
    const events = h.since(mark);
    expect(events[0]).toMatchObject({ event: 'inventoryCountUpdated', payload: { lines: [], count: { status: 'CLOSED' } } });
    expect(events.filter((e) => e.event === 'inventoryMovementCreated')).toHaveLength(differing);
  });
});
