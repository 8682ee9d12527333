import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Principal } from '@retail/auth';
import { AppConfig, parseEnv } from '@retail/config';
import {
  ALERT_CONDITIONS,
  AlertLifecycle,
  AlertSweepService,
  MAX_OPEN_ALERTS_PER_COMPANY,
  NotificationsService,
  REOPEN_WITHIN_MS,
  type PublishNotificationInput,
} from '@retail/notifications';
import { WorkspacesService } from '@retail/workspaces';
import { describeWithServices, startDomainHarness, TEST_JWT_SECRET, type DomainHarness } from '@retail/testing';

const HOUR = 3600_000;

describeWithServices(['postgres'], 'notifications on PostgreSQL', () => {
  let h: DomainHarness;
  let notifications: NotificationsService;
  let sweep: AlertSweepService;
  let lifecycle: AlertLifecycle;
  let admin: Principal, cashier1: Principal, cashier2: Principal, otherAdmin: Principal;
  let centro: string, norte: string, sur: string;

  beforeAll(async () => {
    h = await startDomainHarness();
    const config = new AppConfig(parseEnv({ JWT_SECRET: TEST_JWT_SECRET }));
    lifecycle = new AlertLifecycle(h.prisma, h.transactions, h.realtime);
    notifications = new NotificationsService(
      h.prisma,
      h.transactions,
      h.realtime,
      new WorkspacesService(h.prisma, h.transactions),
      config,
      lifecycle,
    );
    sweep = new AlertSweepService(h.prisma, notifications, lifecycle);
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

  it("raises a dedup key's alert once, even concurrently, counting the repeats, without breaking the caller's transaction", async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => notifications.publish(alert({ dedupKey: 'EXPIRED:lot-1' }))));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(h.sent.filter((s) => s.event === 'systemAlert')).toHaveLength(1);
    expect(h.sent.filter((s) => s.event === 'systemAlertUpdated')).toHaveLength(5);
    expect(await h.prisma.notification.findMany({ select: { count: true, state: true } })).toEqual([{ count: 6, state: 'open' }]);
    await h.transactions.run(async (tx) => {
      expect(await notifications.publish(alert({ dedupKey: 'EXPIRED:lot-1' }), { tx })).toBeNull();
      await tx.notification.count(); // the transaction is still usable
    });
    // Keys are per company.
    expect(await notifications.publish(alert({ companyId: otherAdmin.companyId, dedupKey: 'EXPIRED:lot-1' }))).not.toBeNull();
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

  it('pages open alerts first (ALERT, then WARNING, oldest first), then the rest newest first, without duplicates', async () => {
    const levels = ['WARNING', 'ALERT', 'INFO'] as const;
    for (let i = 0; i < 9; i++) await notifications.publish(alert({ title: `n${i}`, level: levels[i % 3] }));
    const resolved = await notifications.publish(alert({ title: 'resolved' }));
    await lifecycle.resolve(admin, resolved!.id, {});
    const all = async (query: { state?: 'open' | 'resolved' } = {}) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await notifications.list(cashier1, { ...query, cursor, limit: 4 });
        seen.push(...page.items.map((n) => n.title));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return seen;
    };
    expect(await all()).toEqual(['n1', 'n4', 'n7', 'n0', 'n3', 'n6', 'resolved', 'n8', 'n5', 'n2']);
    expect(await all({ state: 'open' })).toEqual(['n1', 'n4', 'n7', 'n0', 'n3', 'n6']);
    expect(await all({ state: 'resolved' })).toEqual(['resolved']);
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
    const rows = await h.prisma.notification.findMany({ select: { dedupKey: true } });
    const keys = rows.map((r) => r.dedupKey!);
    expect(runs.reduce((sum, r) => sum + r.created, 0)).toBe(rows.length);
    expect(h.sent.filter((s) => s.event !== 'systemAlertUpdated')).toHaveLength(rows.length); // a racing sweep only counts again
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
    expect(await h.prisma.notification.count({ where: { dedupKey: movedKey } })).toBe(0);
    expect(await sweep.sweepOnce({ now, companyId: admin.companyId })).toEqual({ created: 1 });
    expect(await h.prisma.notification.count({ where: { dedupKey: movedKey, companyId: admin.companyId } })).toBe(1);
  });

  it('resolves a condition by its key (a store back online), reopens it within 10 minutes, and opens a new alert later', async () => {
    const key = ALERT_CONDITIONS.storeOffline(centro);
    const offline = () =>
      notifications.publish(alert({ level: 'WARNING', scope: { type: 'workspace', workspaceId: centro }, dedupKey: key }));
    const first = await offline();
    expect(await notifications.resolveCondition(null, admin.companyId, key)).toBe(1);
    expect(await notifications.resolveCondition(null, admin.companyId, key)).toBe(0); // nothing live: nothing happens
    expect(await offline()).toMatchObject({ id: first!.id, state: 'open', reopenCount: 1, count: 2 });
    await h.transactions.run((tx) => notifications.resolveCondition(tx, admin.companyId, key));
    await h.prisma.notification.update({ where: { id: first!.id }, data: { resolvedAt: new Date(Date.now() - REOPEN_WITHIN_MS - 1000) } });
    const later = await offline();
    expect(later).toMatchObject({ state: 'open', reopenCount: 0, count: 1 });
    expect(later!.id).not.toBe(first!.id);
  });

  it('resolves a lot alert once its lot is sold out', async () => {
    const product = await h.prisma.product.create({ data: { companyId: admin.companyId, sku: 'SWEEP-SOLD', name: 'Cream', price: 150 } });
    const lot = await h.prisma.stockLot.create({
      data: { workspaceId: centro, productId: product.id, quantity: 2, expiresAt: new Date(Date.now() - HOUR) },
    });
    await sweep.sweepOnce();
    const [alert] = await h.prisma.notification.findMany({ where: { dedupKey: `EXPIRED:${lot.id}` } });
    expect(alert).toMatchObject({ state: 'open' });
    await h.prisma.stockLot.update({ where: { id: lot.id }, data: { quantity: 0 } });
    await sweep.sweepOnce();
    expect(await h.prisma.notification.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({
      state: 'resolved',
      resolution: 'auto',
    });
    expect(h.sent.filter((s) => s.event === 'systemAlertUpdated')).toMatchObject([{ payload: { id: alert.id, state: 'resolved' } }]);
  });

  it('counts new conditions on one overflow alert past 10,000 open alerts in a company', async () => {
    await h.prisma.$executeRaw`
      INSERT INTO "Notification" (id, "companyId", "scopeType", level, kind, title, message, state)
      SELECT gen_random_uuid(), ${admin.companyId}::uuid, 'COMPANY', 'WARNING', 'CUSTOM', 'old', 'old', 'open'
      FROM generate_series(1, ${MAX_OPEN_ALERTS_PER_COMPANY})`;
    const raised = await h.transactions.run((tx) =>
      notifications.publishMany(tx, [alert({ dedupKey: 'new-1' }), alert({ dedupKey: 'new-2' }), alert({ title: 'a broadcast' })]),
    );
    expect(raised.map((r) => [r.outcome, r.notification.dedupKey])).toEqual([
      ['overflowed', 'alert_overflow'],
      ['overflowed', 'alert_overflow'],
      ['overflowed', 'alert_overflow'],
    ]);
    expect(raised[0].notification).toMatchObject({ count: 3, state: 'open', level: 'ALERT' });
    expect(await notifications.publish(alert({ dedupKey: 'new-3' }))).toBeNull();
    expect(await h.prisma.notification.findMany({ where: { dedupKey: { startsWith: 'new-' } } })).toEqual([]);
    expect(await h.prisma.notification.findFirst({ where: { dedupKey: 'alert_overflow' } })).toMatchObject({ count: 4 });
    // Another company is not bounded by this one's alerts.
    expect(await notifications.publish(alert({ companyId: otherAdmin.companyId, dedupKey: 'new-1' }))).not.toBeNull();
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
    const keys = (await h.prisma.notification.findMany({ select: { dedupKey: true } })).map((n) => n.dedupKey);
    expect(keys).toContain(`EXPIRED:${arrived.id}`); // arrived already expired, after the watermark: still seen
    const historic = new Set(
      (await h.prisma.stockLot.findMany({ where: { productId: product.id, quantity: 1 } })).map((l) => `EXPIRED:${l.id}`),
    );
    expect(keys.filter((k) => historic.has(k!))).toEqual([]);
    expect(run.created).toBeLessThan(10);
  });
});
