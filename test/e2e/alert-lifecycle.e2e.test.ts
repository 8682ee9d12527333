import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { COMMANDS, CONTROL_EVENTS, EVENTS, Rooms } from '@retail/realtime-protocol';
import {
  ack,
  api,
  connectPrisma,
  connectSocket,
  connectStream,
  createTestDatabase,
  demoIds,
  describeWithServices,
  login,
  nextEvent,
  record,
  REDIS_TEST_URL,
  sellAtTill,
  startCluster,
  until,
  type Cluster,
  type TestDatabase,
  type TestEnvelope,
} from '@retail/testing';

const ESCALATE_AFTER_SECONDS = 5;
const UPDATED = EVENTS.systemAlertUpdated.name;

describeWithServices(['postgres', 'redis'], 'alerts with a life, across three replicas', () => {
  let db: TestDatabase;
  let prisma: Awaited<ReturnType<typeof connectPrisma>>;
  let cluster: Cluster;
  let a: Cluster['replicas'][number], b: typeof a, c: typeof a;
  let ids: Awaited<ReturnType<typeof demoIds>>;
  let admin: string, manager: string, till: string;
  const sockets: Socket[] = [];

  /** A dashboard on `url` watching Centro's alerts (and, as ADMIN, the company's). */
  const dashboard = async (url: string, token = manager) => {
    const socket = await connectSocket(url, 'notifications', token);
    sockets.push(socket);
    expect(await ack(socket, COMMANDS.subscribe.name, { room: `workspace:${ids.centro}` })).toMatchObject({ ok: true });
    return socket;
  };
  /** A product of Centro with `quantity` in stock and a low-stock minimum. */
  const stockedProduct = async (quantity: number, minQuantity: number) => {
    const product = await prisma.product.create({
      data: { companyId: ids.companyId, sku: `ALERT-${randomUUID().slice(0, 8)}`, name: 'Oat milk', price: 250 },
    });
    await prisma.stock.create({ data: { workspaceId: ids.centro, productId: product.id, quantity, minQuantity } });
    return { id: product.id, price: Number(product.price) };
  };
  const sellOne = async (product: { id: string; price: number }) => {
    const sale = await sellAtTill(a.httpUrl, till, [{ productId: product.id, quantity: 1, unitPrice: product.price }]);
    expect(sale.status).toBe(201);
  };
  const restock = async (product: { id: string }, quantity: number) => {
    const movement = await api(b.httpUrl, 'POST', '/inventory/movements', manager, {
      type: 'IN',
      workspaceId: ids.centro,
      productId: product.id,
      quantity,
    });
    expect(movement.status).toBe(201);
  };
  const lowStockAlerts = (product: { id: string }) =>
    prisma.notification.findMany({ where: { kind: 'LOW_STOCK', dedupKey: `low_stock:${ids.centro}:${product.id}` } });
  /** A store alert an admin broadcasts (level WARNING: it has the lifecycle). */
  const broadcast = async (title: string) => {
    const sent = await api(a.httpUrl, 'POST', '/notifications', admin, {
      title,
      message: 'Check the cold room',
      level: 'WARNING',
      scope: { type: 'workspace', workspaceId: ids.centro },
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ state: 'open', count: 1, version: 1, escalated: false });
    return sent.body as { id: string; version: number };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster({
      replicas: 3,
      databaseUri: db.uri,
      redisUrl: REDIS_TEST_URL,
      env: { ALERT_ESCALATE_AFTER_SECONDS: String(ESCALATE_AFTER_SECONDS), ALERT_SWEEP_INTERVAL_MS: '3600000' },
    });
    [a, b, c] = cluster.replicas;
    ids = await demoIds(a.httpUrl);
    prisma = await connectPrisma(db.uri);
    admin = await login(a.httpUrl, 'admin@demo.local');
    manager = await login(a.httpUrl, 'manager@demo.local');
    till = await login(a.httpUrl, 'cashier1@demo.local', { deviceId: ids.centroDevice });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await prisma?.onApplicationShutdown();
    await cluster?.stop();
    await db?.drop();
  });

  it('counts 20 low-stock triggers on one alert, and a restock resolves it on every dashboard', async () => {
    const dashboards = await Promise.all([a, b, c].map((r) => dashboard(r.wsUrl)));
    const product = await stockedProduct(30, 100);
    for (let i = 0; i < 20; i++) await sellOne(product);

    const [alert] = await lowStockAlerts(product);
    expect(await lowStockAlerts(product)).toHaveLength(1);
    expect(alert).toMatchObject({ state: 'open', count: 20, level: 'WARNING' });
    const listed = await api(c.httpUrl, 'GET', `/notifications?state=open&kind=LOW_STOCK&workspaceId=${ids.centro}`, manager);
    expect(listed.body.items.find((n: { id: string }) => n.id === alert.id)).toMatchObject({
      state: 'open',
      count: 20,
      dedupKey: `low_stock:${ids.centro}:${product.id}`,
    });

    const resolved = dashboards.map((d) => nextEvent(d, UPDATED, (e) => e.data.id === alert.id && e.data.state === 'resolved'));
    await restock(product, 100);
    for (const event of await Promise.all(resolved)) {
      expect(event.data).toMatchObject({ id: alert.id, state: 'resolved', count: 20 });
      expect(event.data.resolvedAt).toBeDefined();
    }
    expect(await prisma.notification.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({ resolution: 'auto' });
  });

  it('sends an ack on replica 1 to dashboards on replicas 2 and 3 in under a second', async () => {
    const [onB, onC] = await Promise.all([dashboard(b.wsUrl), dashboard(c.wsUrl)]);
    const alert = await broadcast('Fridge door open');
    const acked = [onB, onC].map((d) => nextEvent(d, UPDATED, (e) => e.data.id === alert.id && e.data.state === 'acknowledged'));
    const sent = performance.now();
    const answer = await api(a.httpUrl, 'POST', `/notifications/${alert.id}/ack`, manager, {
      expectedVersion: alert.version,
      note: 'on it',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ state: 'acknowledged', version: alert.version + 1, note: 'on it' });
    const events = await Promise.all(acked);
    expect(performance.now() - sent).toBeLessThan(1000);
    for (const event of events) expect(event.data).toMatchObject({ version: alert.version + 1, acknowledgedBy: expect.any(String) });

    // A stale version, and an ack after a resolve, are refused; the resolved alert stays resolved.
    const stale = await api(b.httpUrl, 'POST', `/notifications/${alert.id}/resolve`, manager, { expectedVersion: alert.version });
    expect(stale).toMatchObject({ status: 409, body: { code: 'version_conflict' } });
    expect((await api(b.httpUrl, 'POST', `/notifications/${alert.id}/resolve`, manager, {})).body).toMatchObject({ state: 'resolved' });
    const late = await api(c.httpUrl, 'POST', `/notifications/${alert.id}/ack`, manager, {});
    expect(late).toMatchObject({ status: 409, body: { code: 'already_resolved' } });
    expect(await prisma.notification.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({
      state: 'resolved',
      resolution: 'manual',
    });
  });

  it('refuses ack and resolve to who cannot manage the alert', async () => {
    const alert = await broadcast('Spill in aisle 3');
    const cashier = await login(a.httpUrl, 'cashier1@demo.local');
    expect((await api(a.httpUrl, 'POST', `/notifications/${alert.id}/ack`, cashier, {})).status).toBe(403);
    const otherAdmin = await login(a.httpUrl, 'admin@other.local');
    expect((await api(a.httpUrl, 'POST', `/notifications/${alert.id}/resolve`, otherAdmin, {})).status).toBe(404);
  });

  it('ends resolved whenever an ack races a resolve, 50 rounds on two replicas', async () => {
    for (let round = 0; round < 50; round++) {
      const alert = await broadcast(`Race ${round}`);
      const [acked, resolved] = await Promise.all([
        api(a.httpUrl, 'POST', `/notifications/${alert.id}/ack`, manager, {}),
        api(b.httpUrl, 'POST', `/notifications/${alert.id}/resolve`, manager, {}),
      ]);
      expect(resolved.status).toBe(200);
      if (acked.status !== 200) expect(acked.body.code).toBe('already_resolved');
      expect(await prisma.notification.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({ state: 'resolved' });
    }
  });

  it('reopens one alert when a condition flaps 30 times, instead of raising 30', async () => {
    const product = await stockedProduct(5, 5);
    for (let flap = 0; flap < 30; flap++) {
      await sellOne(product); // 4: below the minimum
      await restock(product, 1); // 5: back at it, resolved
    }
    const alerts = await lowStockAlerts(product);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ state: 'resolved', resolution: 'auto', count: 30, reopenCount: 29 });
  });

  it("replays an alert's updates to a dashboard that resumes on another replica", async () => {
    const room = Rooms.workspace(ids.centro);
    const first = await connectStream(b.wsUrl, 'notifications', manager);
    const from = (await first.first(CONTROL_EVENTS.sessionReady.name)).rooms[room];
    first.socket.close();
    const alert = await broadcast('Door left open overnight');
    expect((await api(a.httpUrl, 'POST', `/notifications/${alert.id}/ack`, manager, {})).status).toBe(200);

    const resumed = await connectStream(c.wsUrl, 'notifications', manager, { [room]: from });
    sockets.push(resumed.socket);
    await resumed.first(CONTROL_EVENTS.resumeOk.name);
    const replayed = resumed.received.filter(([name, e]) => name === UPDATED && e.data.id === alert.id);
    expect(replayed.map(([, e]) => e.data.state)).toContain('acknowledged');
  });

  it('escalates an open alert once after ALERT_ESCALATE_AFTER_SECONDS though the replica that raised it died, never an acked one', async () => {
    const companyDashboard = await connectSocket(c.wsUrl, 'notifications', admin); // ADMIN: the company room
    sockets.push(companyDashboard);
    const escalations = record(companyDashboard, UPDATED);
    const open = await broadcast('Freezer warm');
    const raisedAt = performance.now();
    const acked = await broadcast('Freezer checked');
    expect((await api(b.httpUrl, 'POST', `/notifications/${acked.id}/ack`, manager, {})).status).toBe(200);
    a.process.kill('SIGKILL'); // it raised both

    const escalated = await nextEvent(companyDashboard, UPDATED, (e) => e.data.id === open.id && e.data.escalated, 20_000);
    const after = (performance.now() - raisedAt) / 1000;
    expect(after).toBeGreaterThan(ESCALATE_AFTER_SECONDS - 1);
    expect(after).toBeLessThan(ESCALATE_AFTER_SECONDS + 5);
    expect(escalated.data).toMatchObject({ state: 'open', escalated: true });

    await until(
      'the acked alert is well past its escalation time',
      () => performance.now() - raisedAt > (ESCALATE_AFTER_SECONDS + 3) * 1000,
    );
    const ofAlert = (id: string) => escalations.filter((e: TestEnvelope) => e.data.id === id && e.data.escalated);
    expect(ofAlert(open.id)).toHaveLength(1);
    expect(ofAlert(acked.id)).toHaveLength(0);
    expect(await prisma.notification.findUniqueOrThrow({ where: { id: acked.id } })).toMatchObject({ escalated: false });
  });
});
