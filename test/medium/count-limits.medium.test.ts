import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Principal } from '@retail/auth';
import { CountsService, MAX_OPEN_COUNTS_PER_STORE } from '@retail/inventory';
import { describeWithServices, startRetailApp, type RetailApp } from '@retail/testing';

describeWithServices(['postgres'], 'open counts per store on PostgreSQL', () => {
  let h: RetailApp;
  let counts: CountsService;
  let manager: Principal;

  beforeAll(async () => {
    h = await startRetailApp();
    counts = h.get(CountsService);
    manager = await h.as('manager@demo.local');
  });
  afterAll(() => h?.close());

  const opened = (workspaceId: string, full: boolean) => h.prisma.inventoryCount.count({ where: { workspaceId, full, status: 'OPEN' } });
  const refusal = (outcome: PromiseSettledResult<unknown>) => (outcome.status === 'rejected' ? outcome.reason : undefined);

  it('opens one full count per store, even when two are opened at once, and another once it is closed', async () => {
    const { centro, norte, coffee } = h.ids;
    const race = await Promise.allSettled([
      counts.create(manager, { workspaceId: centro }),
      counts.create(manager, { workspaceId: centro }),
    ]);
    const won = race.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(won).toHaveLength(1);
    expect(refusal(race.find((r) => r.status === 'rejected')!)).toMatchObject({
      status: 409,
      code: 'full_count_open',
      details: { countId: won[0]!.id },
    });
    expect(await opened(centro, true)).toBe(1);

    // A count of some products, or a full count of another store, is not held back by it.
    await counts.create(manager, { workspaceId: centro, productIds: [coffee.id] });
    await counts.create(manager, { workspaceId: norte });

    await counts.close(manager, won[0]!.id);
    expect((await counts.create(manager, { workspaceId: centro })).status).toBe('OPEN');
    expect(await opened(centro, true)).toBe(1);
  });

  it(`caps a store's open counts at ${MAX_OPEN_COUNTS_PER_STORE}, opened at once or not: 409 too_many_open_counts past it`, async () => {
    const { sur } = h.ids;
    const otherAdmin = await h.as('admin@other.local');
    const product = await h.prisma.product.findFirstOrThrow({ where: { companyId: otherAdmin.companyId } });
    const already = await h.prisma.inventoryCount.count({ where: { workspaceId: sur, status: 'OPEN' } });
    const tries = MAX_OPEN_COUNTS_PER_STORE - already + 3;
    const outcomes = await Promise.allSettled(
      Array.from({ length: tries }, () => counts.create(otherAdmin, { workspaceId: sur, productIds: [product.id] })),
    );
    const refused = outcomes.map(refusal).filter(Boolean);
    expect(refused).toHaveLength(3);
    for (const error of refused) expect(error).toMatchObject({ status: 409, code: 'too_many_open_counts' });
    expect(await h.prisma.inventoryCount.count({ where: { workspaceId: sur, status: 'OPEN' } })).toBe(MAX_OPEN_COUNTS_PER_STORE);

    // Closing one makes room for exactly one more.
    const open = await h.prisma.inventoryCount.findFirstOrThrow({ where: { workspaceId: sur, status: 'OPEN' } });
    await counts.close(otherAdmin, open.id);
    await counts.create(otherAdmin, { workspaceId: sur, productIds: [product.id] });
    await expect(counts.create(otherAdmin, { workspaceId: sur, productIds: [product.id] })).rejects.toMatchObject({
      code: 'too_many_open_counts',
    });
  });
});
