import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ack,
  api,
  connectSocket,
  createTestDatabase,
  createUser,
  demoIds,
  describeWithServices,
  login,
  nextEvent,
  productBySku,
  record,
  REDIS_TEST_URL,
  sessionEnd,
  sleep,
  startCluster,
  until,
  type Cluster,
  type TestDatabase,
} from '@retail/testing';
import { COMMANDS, CONTROL_EVENTS, EVENTS, Rooms, type NamespaceKey } from '@retail/realtime-protocol';

// What the issue asks of revocation on live sockets: every replica, within 2 s.
const REVOCATION_DEADLINE_MS = 2_000;

describeWithServices(['postgres', 'redis'], 'revocation that reaches REST and live sockets on every replica', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  let ids: Awaited<ReturnType<typeof demoIds>>;
  let admin: string;
  const sockets: Socket[] = [];
  const base = (i: number) => cluster.replicas[i].httpUrl;
  const ws = (i: number) => cluster.replicas[i].wsUrl;
  const connect = async (replica: number, namespace: NamespaceKey, token: string) => {
    const socket = await connectSocket(ws(replica), namespace, token);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster({ replicas: 3, databaseUri: db.uri, redisUrl: REDIS_TEST_URL });
    ids = await demoIds(base(0));
    admin = await login(base(0), 'admin@demo.local');
  });
  const withDatabase = async <T>(work: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: db.uri });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await cluster?.stop();
    await db?.drop();
  });

  it('disables a cashier: REST refused at once on every replica, sockets on every replica ended with token_revoked', async () => {
    const cashier = await createUser(base(0), admin, { role: 'CASHIER', workspaceIds: [ids.centro] });
    const token = await login(base(1), cashier.email, { password: cashier.password });
    const live = await Promise.all([connect(0, 'pos', token), connect(1, 'notifications', token), connect(2, 'inventory', token)]);
    const ends = live.map((s) => sessionEnd(s, REVOCATION_DEADLINE_MS));

    expect((await api(base(2), 'PATCH', `/users/${cashier.id}`, admin, { disabled: true })).status).toBe(200);

    for (let i = 0; i < 3; i++) {
      expect(await api(base(i), 'GET', '/auth/me', token)).toMatchObject({ status: 401, body: { code: 'token_revoked' } });
    }
    for (const end of await Promise.all(ends)) {
      expect(end).toEqual({ ended: { code: 'token_revoked', message: expect.any(String) }, reason: 'io server disconnect' });
    }
    const again = await api(base(0), 'POST', '/auth/login', undefined, { email: cashier.email, password: cashier.password });
    expect(again).toMatchObject({ status: 403, body: { code: 'account_disabled' } });
    await expect(connectSocket(ws(1), 'pos', token)).rejects.toMatchObject({ data: { code: 'token_revoked' } });
  });

  it('demotes a manager: the role change revokes their tokens and ends their sockets', async () => {
    const manager = await createUser(base(0), admin, { role: 'MANAGER', workspaceIds: [ids.centro] });
    const token = await login(base(0), manager.email, { password: manager.password });
    const end = sessionEnd(await connect(1, 'inventory', token), REVOCATION_DEADLINE_MS);

    expect((await api(base(0), 'PATCH', `/users/${manager.id}`, admin, { role: 'STAFF' })).status).toBe(200);

    expect(await api(base(2), 'GET', '/workspaces', token)).toMatchObject({ status: 401, body: { code: 'token_revoked' } });
    expect((await end).ended.code).toBe('token_revoked');
    const fresh = await login(base(0), manager.email, { password: manager.password });
    expect((await api(base(0), 'GET', '/auth/me', fresh)).body).toMatchObject({ role: 'STAFF', workspaceIds: [ids.centro] });
  });

  it("removes a manager from a store: that store's events stop, the other store's still arrive, and its REST answers 404", async () => {
    const manager = await createUser(base(0), admin, { role: 'MANAGER', workspaceIds: [ids.centro, ids.norte] });
    const token = await login(base(0), manager.email, { password: manager.password });
    const live = await Promise.all([connect(1, 'inventory', token), connect(2, 'inventory', token)]);
    const milk = await productBySku(base(0), admin, 'MILK-1L');
    const move = async (workspaceId: string) => {
      const body = { type: 'IN', workspaceId, productId: milk.id, quantity: 1, reason: 'delivery' };
      const { status, body: movement } = await api(base(0), 'POST', '/inventory/movements', admin, body);
      expect(status).toBe(201);
      return movement.movement.id as string;
    };
    const movementOf = (socket: Socket, id: string) =>
      nextEvent(socket, EVENTS.inventoryMovementCreated.name, (e) => e.data.movement.id === id, 15_000);

    // Before: both stores reach both sockets.
    const before = await move(ids.norte);
    await Promise.all(live.map((s) => movementOf(s, before)));
    const got = live.map((s) => record(s, EVENTS.inventoryMovementCreated.name));

    expect((await api(base(0), 'PATCH', `/users/${manager.id}`, admin, { workspaceIds: [ids.centro] })).status).toBe(200);

    for (let i = 0; i < 3; i++) {
      expect(await api(base(i), 'GET', `/workspaces/${ids.norte}/devices`, token)).toMatchObject({ status: 404 });
      expect((await api(base(i), 'GET', `/workspaces/${ids.centro}/devices`, token)).status).toBe(200);
    }
    expect((await api(base(1), 'GET', '/auth/me', token)).body.workspaceIds).toEqual([ids.centro]);
    // The sockets keep their session and leave the store's room within the deadline.
    await sleep(REVOCATION_DEADLINE_MS);
    const norte = await move(ids.norte);
    const centro = await move(ids.centro);
    await Promise.all(live.map((s) => movementOf(s, centro)));
    for (const received of got) {
      const movementIds = received.map((e) => e.data.movement.id);
      expect(movementIds).toContain(centro);
      expect(movementIds).not.toContain(norte);
    }
    expect(live.every((s) => s.connected)).toBe(true);
    // And `subscribe` checks against the new access, not the one of the handshake.
    for (const socket of live) {
      expect(await ack(socket, COMMANDS.subscribe.name, { room: Rooms.workspace(ids.norte) })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
  });

  it('a socket that left its own user: and pos: rooms is still ended on every replica when its user is disabled', async () => {
    const device = await api(base(0), 'POST', `/workspaces/${ids.centro}/devices`, admin, { name: `Till ${Date.now()}` });
    const cashier = await createUser(base(0), admin, { role: 'CASHIER', workspaceIds: [ids.centro] });
    const token = await login(base(0), cashier.email, {
      password: cashier.password,
      deviceId: device.body.id,
      deviceKey: device.body.deviceKey,
    });
    const hiding = await Promise.all([connect(1, 'pos', token), connect(2, 'notifications', token)]);
    for (const socket of hiding) {
      for (const room of [Rooms.user(cashier.id), Rooms.pos(device.body.id), Rooms.workspace(ids.centro)]) {
        expect(await ack(socket, COMMANDS.unsubscribe.name, { room })).toEqual({ ok: true, room });
      }
    }
    const ends = hiding.map((s) => sessionEnd(s, REVOCATION_DEADLINE_MS));

    expect((await api(base(0), 'PATCH', `/users/${cashier.id}`, admin, { disabled: true })).status).toBe(200);

    for (const end of await Promise.all(ends)) expect(end.ended.code).toBe('token_revoked');
  });

  it('auth.refresh and resume check the rooms a socket keeps again, even when no change was announced', async () => {
    const manager = await createUser(base(0), admin, { role: 'MANAGER', workspaceIds: [ids.centro, ids.norte] });
    const token = await login(base(1), manager.email, { password: manager.password });
    const [refreshed, resumed] = await Promise.all([connect(1, 'inventory', token), connect(1, 'pos', token)]);
    // The store taken away behind the product's back: no announcement, as when one is lost.
    await withDatabase((db) =>
      db.query('DELETE FROM "WorkspaceMember" WHERE "userId" = $1 AND "workspaceId" = $2', [manager.id, ids.norte]),
    );
    await until('replica B reads the new access', async () => {
      const me = await api(base(1), 'GET', '/auth/me', token);
      return me.body.workspaceIds.length === 1;
    });

    const fresh = await login(base(1), manager.email, { password: manager.password });
    expect(await ack(refreshed, COMMANDS.authRefresh.name, { token: fresh })).toMatchObject({ ok: true });
    const milk = await productBySku(base(0), admin, 'MILK-1L');
    const got = record(refreshed, EVENTS.inventoryMovementCreated.name);
    for (const workspaceId of [ids.norte, ids.centro]) {
      const body = { type: 'IN', workspaceId, productId: milk.id, quantity: 1, reason: 'delivery' };
      expect((await api(base(0), 'POST', '/inventory/movements', admin, body)).status).toBe(201);
    }
    await until('the centro movement arrives', () => got.some((e) => e.data.movement.workspaceId === ids.centro));
    expect(got.map((e) => e.data.movement.workspaceId)).toEqual([ids.centro]);

    const room = Rooms.workspace(ids.norte);
    const resumeOk = new Promise<{ refused: Record<string, string> }>((resolve) => resumed.once(CONTROL_EVENTS.resumeOk.name, resolve));
    const positions = { [room]: { offset: '0', epoch: 'any' } };
    expect(await ack(resumed, COMMANDS.resume.name, { rooms: positions })).toEqual({ ok: true });
    expect((await resumeOk).refused).toEqual({ [room]: 'forbidden' });
    expect(resumed.connected).toBe(true);
  });

  it("retires a device: its tokens are refused on REST and sockets, and it can't be logged in with again", async () => {
    const device = await api(base(0), 'POST', `/workspaces/${ids.centro}/devices`, admin, { name: `Till ${Date.now()}` });
    expect(device.status).toBe(201);
    const cashier = await createUser(base(0), admin, { role: 'CASHIER', workspaceIds: [ids.centro] });
    const till = { deviceId: device.body.id, deviceKey: device.body.deviceKey };
    const onDevice = await login(base(0), cashier.email, { password: cashier.password, ...till });
    const plain = await login(base(0), cashier.email, { password: cashier.password });
    const end = sessionEnd(await connect(2, 'pos', onDevice), REVOCATION_DEADLINE_MS);

    expect((await api(base(1), 'PATCH', `/devices/${device.body.id}`, admin, { retired: true })).body).toMatchObject({ retired: true });

    expect(await api(base(0), 'GET', '/auth/me', onDevice)).toMatchObject({ status: 401, body: { code: 'token_revoked' } });
    expect((await end).ended.code).toBe('token_revoked');
    expect((await api(base(0), 'GET', '/auth/me', plain)).status).toBe(200);
    const again = await api(base(0), 'POST', '/auth/login', undefined, { email: cashier.email, password: cashier.password, ...till });
    expect(again).toMatchObject({ status: 403, body: { code: 'device_forbidden' } });
  });

  it("moves a device to a store its cashier does not work in: the device's tokens lose the old store", async () => {
    const device = await api(base(0), 'POST', `/workspaces/${ids.centro}/devices`, admin, { name: `Till ${Date.now()}` });
    const cashier = await createUser(base(0), admin, { role: 'CASHIER', workspaceIds: [ids.centro] });
    const onDevice = await login(base(0), cashier.email, {
      password: cashier.password,
      deviceId: device.body.id,
      deviceKey: device.body.deviceKey,
    });
    const end = sessionEnd(await connect(1, 'pos', onDevice), REVOCATION_DEADLINE_MS);

    expect((await api(base(0), 'PATCH', `/devices/${device.body.id}`, admin, { workspaceId: ids.norte })).body).toMatchObject({
      workspaceId: ids.norte,
    });

    expect(await api(base(2), 'GET', '/workspaces', onDevice)).toMatchObject({ status: 401, body: { code: 'token_revoked' } });
    expect((await end).ended.code).toBe('token_revoked');
  });
});
