import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EVENTS, Rooms } from '@retail/realtime-protocol';
import {
  ack,
  api,
  connectSocket,
  createTestDatabase,
  createUser,
  describeWithServices,
  login,
  productBySku,
  record,
  REDIS_TEST_URL,
  sell,
  sellAtTill,
  startCluster,
  tillSale,
  until,
  type Cluster,
  type TestDatabase,
} from '@retail/testing';
import type { Socket } from 'socket.io-client';

const SALE = EVENTS.posSaleCompleted.name;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** HH:MM on the wall clock of `timeZone`, `shiftMinutes` from now (wrapping round midnight). */
function wallTime(timeZone: string, shiftMinutes: number): string {
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date());
  const minutes = (Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3)) + shiftMinutes + 1440) % 1440;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
/** Every day open from an hour ago to an hour from now, on the store's clock: a range that may cross midnight. */
const openAroundNow = (timeZone: string) =>
  Object.fromEntries(DAYS.map((day) => [day, [{ open: wallTime(timeZone, -60), close: wallTime(timeZone, 60) }]]));

describeWithServices(['postgres', 'redis'], 'store life across replicas', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  let a: string, b: string;
  let admin: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster({ replicas: 2, databaseUri: db.uri, redisUrl: REDIS_TEST_URL });
    [a, b] = cluster.replicas.map((r) => r.httpUrl);
    admin = await login(a, 'admin@demo.local');
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await cluster?.stop();
    await db?.drop();
  });

  const createStore = (body: Record<string, unknown>, token = admin, via = a) => api(via, 'POST', '/workspaces', token, body);

  it('creates a store with hours in its time zone, and tells whether it is open now', async () => {
    const timeZone = 'America/Mexico_City';
    const created = await createStore({ name: `Sucursal ${randomUUID().slice(0, 6)}`, timeZone, openingHours: openAroundNow(timeZone) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ timeZone, offlineAlertAfterSeconds: 300, archivedAt: null });
    expect((await api(b, 'GET', `/workspaces/${created.body.id}`, admin)).body).toMatchObject({ id: created.body.id, open: true });

    const closed = await createStore({ name: `Closed ${randomUUID().slice(0, 6)}`, timeZone: 'Asia/Tokyo', openingHours: {} });
    expect((await api(b, 'GET', `/workspaces/${closed.body.id}`, admin)).body).toMatchObject({ open: false });
    const always = await createStore({ name: `Always ${randomUUID().slice(0, 6)}`, timeZone: 'UTC', offlineAlertAfterSeconds: 45 });
    expect((await api(a, 'GET', `/workspaces/${always.body.id}`, admin)).body).toMatchObject({
      open: true,
      openingHours: null,
      offlineAlertAfterSeconds: 45,
    });

    const moved = await api(a, 'PATCH', `/workspaces/${closed.body.id}`, admin, { openingHours: openAroundNow('Asia/Tokyo') });
    expect(moved.status).toBe(200);
    expect((await api(b, 'GET', `/workspaces/${closed.body.id}`, admin)).body).toMatchObject({ open: true });
  });

  it('refuses a bad zone (400), a taken name (409), a short alert delay (400) and a non-admin (403)', async () => {
    const name = `Dup ${randomUUID().slice(0, 6)}`;
    expect(await createStore({ name: 'Mars', timeZone: 'Mars/Olympus_Mons' })).toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    });
    expect(await createStore({ name: 'Fast', timeZone: 'UTC', offlineAlertAfterSeconds: 10 })).toMatchObject({ status: 400 });
    expect(await createStore({ name, timeZone: 'UTC' })).toMatchObject({ status: 201 });
    expect(await createStore({ name, timeZone: 'UTC' }, admin, b)).toMatchObject({ status: 409, body: { code: 'name_taken' } });
    const manager = await login(a, 'manager@demo.local');
    expect(await createStore({ name: 'Mine', timeZone: 'UTC' }, manager)).toMatchObject({ status: 403 });
  });

  it('makes a new store usable at once on every replica: a device, stock, carts, sales and its dashboard room', async () => {
    const store = (await createStore({ name: `Nueva ${randomUUID().slice(0, 6)}`, timeZone: 'Europe/Madrid' }, admin, a)).body;
    const device = await api(b, 'POST', `/workspaces/${store.id}/devices`, admin, { name: 'CAJA-1' });
    expect(device.status).toBe(201);
    const water = await productBySku(a, admin, 'WATER-500');
    const stocked = await api(b, 'POST', '/inventory/movements', admin, {
      type: 'IN',
      workspaceId: store.id,
      productId: water.id,
      quantity: 10,
    });
    expect(stocked.status).toBe(201);

    const cashier = await createUser(a, admin, { role: 'CASHIER', workspaceIds: [store.id] });
    const till = await login(b, cashier.email, { password: cashier.password, deviceId: device.body.id, deviceKey: device.body.deviceKey });
    const dashboard = await connectSocket(cluster.replicas[0].wsUrl, 'pos', admin);
    sockets.push(dashboard);
    await ack(dashboard, 'subscribe', { room: Rooms.workspace(store.id) });
    const seen = record(dashboard, SALE);

    const viaTill = await sellAtTill(b, till, [{ productId: water.id, quantity: 1, unitPrice: water.price }]);
    expect(viaTill.status).toBe(201);
    const viaCart = await sell(a, till, [{ productId: water.id, quantity: 2 }]);
    expect(viaCart.status).toBe(201);
    await until('both sales reached the dashboard on the other replica', () => seen.length === 2);
    expect(seen.every((e) => e.workspaceId === store.id)).toBe(true);
    const stock = await api(a, 'GET', `/inventory/stock?workspaceId=${store.id}`, till);
    expect(stock.status).toBe(200);
    const totals = await api(b, 'GET', `/pos/daily-totals?workspaceId=${store.id}`, admin);
    expect(totals.body).toMatchObject({ salesCount: 2 });
  });

  it('archives a store only once its drawers are closed; then it takes no carts or sales, and its history stays', async () => {
    const store = (await createStore({ name: `Cierre ${randomUUID().slice(0, 6)}`, timeZone: 'UTC' })).body;
    const device = (await api(a, 'POST', `/workspaces/${store.id}/devices`, admin, { name: 'CAJA-1' })).body;
    const cashier = await createUser(a, admin, { role: 'CASHIER', workspaceIds: [store.id] });
    const till = await login(a, cashier.email, { password: cashier.password, deviceId: device.id, deviceKey: device.deviceKey });
    const water = await productBySku(a, admin, 'WATER-500');
    const sold = await sellAtTill(a, till, [{ productId: water.id, quantity: 1, unitPrice: water.price }]);
    const openCart = (await api(a, 'POST', '/pos/carts', till, {})).body;
    await api(a, 'PATCH', `/pos/carts/${openCart.id}`, till, { items: [{ productId: water.id, quantity: 1 }] });
    const drawer = (await api(a, 'POST', '/pos/cash-sessions', till, { openingFloat: 0, cashLimit: 100_000 })).body;

    expect(await api(b, 'POST', `/workspaces/${store.id}/archive`, admin)).toMatchObject({
      status: 409,
      body: { code: 'open_cash_sessions' },
    });
    expect((await api(a, 'POST', `/pos/cash-sessions/${drawer.id}/close`, till, {})).status).toBe(200);
    const archived = await api(b, 'POST', `/workspaces/${store.id}/archive`, admin);
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).toEqual(expect.any(String));

    for (const via of [a, b]) {
      const sale = await sellAtTill(via, till, [{ productId: water.id, quantity: 1, unitPrice: water.price }]);
      expect(sale).toMatchObject({ status: 409, body: { code: 'store_archived' } });
      const sales = [tillSale([{ productId: water.id, quantity: 1, unitPrice: water.price }])];
      expect(await api(via, 'POST', '/pos/sales/sync', till, { sales })).toMatchObject({ status: 409, body: { code: 'store_archived' } });
      expect(await api(via, 'POST', '/pos/carts', till, {})).toMatchObject({ status: 409, body: { code: 'store_archived' } });
    }
    const payment = await api(a, 'POST', `/pos/carts/${openCart.id}/payments`, till, { method: 'CARD', amount: water.price });
    expect(payment.status).toBe(201);
    expect(await api(a, 'POST', `/pos/carts/${openCart.id}/checkout`, till)).toMatchObject({
      status: 409,
      body: { code: 'store_archived' },
    });

    const listed = (await api(a, 'GET', '/workspaces', admin)).body.map((s: { id: string }) => s.id);
    const listedArchived = (await api(b, 'GET', '/workspaces?archived=true', admin)).body.map((s: { id: string }) => s.id);
    expect(listed).not.toContain(store.id);
    expect(listedArchived).toContain(store.id);
    expect((await api(b, 'GET', `/pos/sales/${sold.body.id}`, admin)).status).toBe(200);
  });
});
