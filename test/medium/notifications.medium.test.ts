import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Principal } from '@retail/auth';
import { AlertSweepService, NotificationsService, type PublishNotificationInput } from '@retail/notifications';
import { WorkspacesService } from '@retail/workspaces';
import { describeWithServices, startDomainHarness, type DomainHarness } from '@retail/testing';

const HOUR = 3600_000;

describeWithServices(['postgres'], 'notifications on PostgreSQL', () => {
  let h: DomainHarness;
  let notifications: NotificationsService;
  let sweep: AlertSweepService;
  let admin: Principal, cashier1: Principal, cashier2: Principal, otherAdmin: Principal;
  let centro: string, norte: string, sur: string;

  beforeAll(async () => {
    h = await startDomainHarness();
    notifications = new NotificationsService(h.prisma, h.transactions, h.realtime, new WorkspacesService(h.prisma, h.transactions));
    sweep = new AlertSweepService(h.prisma, notifications);
    [admin, cashier1, cashier2, otherAdmin] = await Promise.all(
      ['admin@demo.local', 'cashier1@demo.local', 'cashier2@demo.local', 'admin@other.local'].map(h.principal),
    );
    [centro, norte, sur] = (await Promise.all(['Centro', 'Norte', 'Sur'].map(h.workspace))).map((s) => s.id);
  });
  beforeEach(async () => {
    await h.prisma.notification.deleteMany();
    h.sent.length = 0;
  });
  afterAll(async () => {
    await h?.close();
  });

  const alert = (overrides: Partial<PublishNotificationInput> = {}): PublishNotificationInput => ({
    companyId: admin.companyId,
    level: 'ALERT',
    kind: 'CUSTOM',
    scope: { type: 'company' },
    title: 'Heads up',
    message: 'Something happened',
    ...overrides,
  });
  const titlesFor = async (user: Principal) => (await notifications.list(user, { limit: 100 })).items.map((n) => n.title).sort();

  it('sends a notification only once its transaction commits, and not at all on rollback', async () => {
    await h.transactions.run(async (tx) => {
      await notifications.publish(alert({ title: 'committed', level: 'WARNING' }), { tx });
      expect(h.sent).toEqual([]);
    });
    expect(h.sent).toMatchObject([
      { event: 'systemWarning', payload: { title: 'committed', companyId: admin.companyId, scope: { type: 'company' } } },
    ]);

    await expect(
      h.transactions.run(async (tx) => {
        await notifications.publish(alert({ title: 'rolled back' }), { tx });
        throw new Error('checkout failed');
      }),
    ).rejects.toThrow('checkout failed');
    expect(h.sent).toHaveLength(1);
    expect(await titlesFor(admin)).toEqual(['committed']);
  });

  it("publishes a dedupe key once, even concurrently, without breaking the caller's transaction", async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => notifications.publish(alert({ dedupeKey: 'EXPIRED:lot-1' }))));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(h.sent).toHaveLength(1);
    await h.transactions.run(async (tx) => {
      expect(await notifications.publish(alert({ dedupeKey: 'EXPIRED:lot-1' }), { tx })).toBeNull();
      await tx.notification.count(); // the transaction is still usable
    });
    // Keys are per company.
    expect(await notifications.publish(alert({ companyId: otherAdmin.companyId, dedupeKey: 'EXPIRED:lot-1' }))).not.toBeNull();
  });

  it('shows each user only their company, their stores and themselves, and marks read per user', async () => {
    await notifications.publish(alert({ title: 'company' }));
    await notifications.publish(alert({ title: 'centro', scope: { type: 'workspace', workspaceId: centro } }));
    await notifications.publish(alert({ title: 'norte', scope: { type: 'workspace', workspaceId: norte } }));
    const mine = await notifications.publish(alert({ title: 'for cashier1', scope: { type: 'user', userId: cashier1.userId } }));
    await notifications.publish(
      alert({ companyId: otherAdmin.companyId, title: 'other chain', scope: { type: 'workspace', workspaceId: sur } }),
    );

    expect(await titlesFor(cashier1)).toEqual(['centro', 'company', 'for cashier1']);
    expect(await titlesFor(cashier2)).toEqual(['company', 'norte']);
    expect(await titlesFor(admin)).toEqual(['centro', 'company', 'norte']);
    expect(await titlesFor(otherAdmin)).toEqual(['other chain']);

    expect(await notifications.markRead(cashier1, mine!.id)).toMatchObject({ read: true });
    await notifications.markRead(cashier1, mine!.id); // idempotent
    expect((await notifications.list(cashier1, { limit: 100 })).items.find((n) => n.id === mine!.id)?.read).toBe(true);
    await expect(notifications.markRead(cashier2, mine!.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(notifications.markRead(otherAdmin, mine!.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('pages newest first without duplicates', async () => {
    for (let i = 0; i < 9; i++) await notifications.publish(alert({ title: `n${i}` }));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await notifications.list(cashier1, { cursor, limit: 4 });
      seen.push(...page.items.map((n) => n.title));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['n8', 'n7', 'n6', 'n5', 'n4', 'n3', 'n2', 'n1', 'n0']);
  });

  it('refuses a broadcast to a store or user of another company', async () => {
    await expect(
      notifications.broadcast(admin, { title: 't', message: 'm', level: 'INFO', scope: { type: 'workspace', workspaceId: sur } }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      notifications.broadcast(admin, { title: 't', message: 'm', level: 'INFO', scope: { type: 'user', userId: otherAdmin.userId } }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect(await notifications.broadcast(admin, { title: 't', message: 'm', level: 'INFO', scope: { type: 'company' } })).toMatchObject({
      kind: 'CUSTOM',
      level: 'INFO',
    });
    expect(h.sent).toMatchObject([{ event: 'systemInfo' }]);
  });

  it('sweeps expired and expiring lots and overdue counts once, even when sweeps run concurrently', async () => {
    const now = new Date();
    const product = await h.prisma.product.create({ data: { companyId: admin.companyId, sku: 'SWEEP-TEST', name: 'Yogurt', price: 120 } });
    const lot = (quantity: number, expiresAt: Date) =>
      h.prisma.stockLot.create({ data: { workspaceId: centro, productId: product.id, quantity, expiresAt } });
    const expired = await lot(5, new Date(now.getTime() - HOUR));
    const expiring = await lot(3, new Date(now.getTime() + 24 * HOUR));
    const empty = await lot(0, new Date(now.getTime() - HOUR)); // nothing left: nothing to alert
    const fresh = await lot(9, new Date(now.getTime() + 30 * 24 * HOUR));
    const manager = await h.principal('manager@demo.local');
    const count = (data: { createdAt?: Date; status?: 'CLOSED' }) =>
      h.prisma.inventoryCount.create({ data: { workspaceId: norte, createdById: manager.userId, ...data } });
    const overdue = await count({ createdAt: new Date(now.getTime() - 48 * HOUR) });
    const closed = await count({ createdAt: new Date(now.getTime() - 48 * HOUR), status: 'CLOSED' });
    const recent = await count({});

    const runs = await Promise.all(Array.from({ length: 4 }, () => sweep.sweepOnce({ now })));
    const rows = await h.prisma.notification.findMany({ select: { dedupeKey: true } });
    const keys = rows.map((r) => r.dedupeKey!);
    expect(runs.reduce((sum, r) => sum + r.created, 0)).toBe(rows.length);
    expect(h.sent).toHaveLength(rows.length);
    expect(keys).toEqual(
      expect.arrayContaining([
        `EXPIRED:${expired.id}`,
        `EXPIRING:${expiring.id}:${expiring.expiresAt.toISOString()}`,
        `COUNT_OVERDUE:${overdue.id}`,
      ]),
    );
    for (const id of [empty.id, fresh.id, closed.id, recent.id]) expect(keys.join()).not.toContain(id);

    // Not repeated until the state changes: a new expiry date warns again, and only in its own company.
    expect(await sweep.sweepOnce({ now })).toEqual({ created: 0 });
    const moved = await h.prisma.stockLot.update({ where: { id: expiring.id }, data: { expiresAt: new Date(now.getTime() + 12 * HOUR) } });
    const movedKey = `EXPIRING:${moved.id}:${moved.expiresAt.toISOString()}`;
    await sweep.sweepOnce({ now, companyId: otherAdmin.companyId });
    expect(await h.prisma.notification.count({ where: { dedupeKey: movedKey } })).toBe(0);
    expect(await sweep.sweepOnce({ now, companyId: admin.companyId })).toEqual({ created: 1 });
    expect(await h.prisma.notification.count({ where: { dedupeKey: movedKey, companyId: admin.companyId } })).toBe(1);
  });

  it('looks only at lots that changed since the last sweep, however many expired lots lie behind its watermark', async () => {
    await sweep.sweepOnce(); // a scheduled run: sets the watermark
    const product = await h.prisma.product.create({ data: { companyId: admin.companyId, sku: 'SWEEP-HISTORY', name: 'Milk', price: 99 } });
    // Years of history: lots that expired, and arrived, long before the watermark (alerted back then).
    const longAgo = Date.now() - 400 * 24 * HOUR;
    const history = Array.from({ length: 2000 }, (_, i) => ({
      workspaceId: centro,
      productId: product.id,
      quantity: 1,
      expiresAt: new Date(longAgo + i * 60_000),
      createdAt: new Date(longAgo - 30 * 24 * HOUR),
    }));
    await h.prisma.stockLot.createMany({ data: history });
    const arrived = await h.prisma.stockLot.create({
      data: { workspaceId: centro, productId: product.id, quantity: 2, expiresAt: new Date(Date.now() - 60_000) },
    });

    const run = await sweep.sweepOnce();
    const keys = (await h.prisma.notification.findMany({ select: { dedupeKey: true } })).map((n) => n.dedupeKey);
    expect(keys).toContain(`EXPIRED:${arrived.id}`); // arrived already expired, after the watermark: still seen
    const historic = new Set(
      (await h.prisma.stockLot.findMany({ where: { productId: product.id, quantity: 1 } })).map((l) => `EXPIRED:${l.id}`),
    );
    expect(keys.filter((k) => historic.has(k!))).toEqual([]);
    expect(run.created).toBeLessThan(10);
  });
});
