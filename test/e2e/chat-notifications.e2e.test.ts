import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  QUIET_MS,
  ack,
  api,
  connectSocket,
  login,
  nextEvent,
  record,
  sleep,
  connectPrisma,
  createTestDatabase,
  type TestDatabase,
  demoIds,
  REDIS_TEST_URL,
  startCluster,
  type Cluster,
  describeWithServices,
} from '@retail/testing';

import { COMMANDS, EVENTS } from '@retail/realtime-protocol';

const SWEEP_INTERVAL_MS = 500;

describeWithServices(['postgres', 'redis'], 'chat and alerts across three replicas', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  let a: Cluster['replicas'][number], b: typeof a, c: typeof a;
  let ids: Awaited<ReturnType<typeof demoIds>>;
  const sockets: Socket[] = [];

  const tokenOf = (email: string) => login(a.httpUrl, email);
  const chatSocket = async (url: string, email: string, namespace: 'chat' | 'notifications' = 'chat') => {
    const socket = await connectSocket(url, namespace, await tokenOf(email));
    sockets.push(socket);
    return socket;
  };
  const userId = async (email: string) => (await api(a.httpUrl, 'GET', '/auth/me', await tokenOf(email))).body.id as string;
  const teamRoom = async () => {
    const room = await api(a.httpUrl, 'POST', '/chat/rooms', await tokenOf('manager@demo.local'), {
      type: 'EMPLOYEE',
      name: 'Shift',
      memberIds: [await userId('cashier1@demo.local')],
    });
    expect(room.status).toBe(201);
    return room.body.id as string;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster({
      replicas: 3,
      databaseUri: db.uri,
      redisUrl: REDIS_TEST_URL,
      env: { ALERT_SWEEP_INTERVAL_MS: String(SWEEP_INTERVAL_MS) },
    });
    [a, b, c] = cluster.replicas;
    ids = await demoIds(a.httpUrl);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await cluster?.stop();
    await db?.drop();
  });

  it('lets two users on different replicas chat, with typing crossing replicas too', async () => {
    const roomId = await teamRoom();
    const manager = await chatSocket(a.wsUrl, 'manager@demo.local');
    const cashier = await chatSocket(b.wsUrl, 'cashier1@demo.local');
    const history = nextEvent(cashier, EVENTS.chatHistory.name, (e) => e.data.roomId === roomId);
    expect(await ack(manager, COMMANDS.chatJoin.name, { roomId })).toEqual({ ok: true, roomId });
    expect(await ack(cashier, COMMANDS.chatJoin.name, { roomId })).toEqual({ ok: true, roomId });
    expect((await history).data.items).toEqual([]);
    const cashierGot = record(cashier, EVENTS.chatMessage.name);
    const managerTyping = record(manager, EVENTS.chatTyping.name);

    const clientMessageId = randomUUID();
    const delivered = nextEvent(cashier, EVENTS.chatMessage.name);
    const sent = await ack(manager, COMMANDS.chatMessage.name, { roomId, body: 'Can you cover till 2?\u0007', clientMessageId });
    expect(sent).toMatchObject({ ok: true, message: { roomId, body: 'Can you cover till 2?', clientMessageId } });
    expect((await delivered).data.message).toEqual(sent.message);

    // A retry is acknowledged with the original message and not broadcast again.
    expect(await ack(manager, COMMANDS.chatMessage.name, { roomId, body: 'Can you cover till 2?', clientMessageId })).toEqual(sent);
    await sleep(QUIET_MS);
    expect(cashierGot.map((e) => e.data.message.id)).toEqual([sent.message.id]);

    const typing = nextEvent(cashier, EVENTS.chatTyping.name, (e) => e.data.isTyping);
    expect(await ack(manager, COMMANDS.chatTyping.name, { roomId, isTyping: true })).toEqual({ ok: true });
    expect((await typing).data).toMatchObject({ roomId, isTyping: true });
    // Nobody stopped typing explicitly: the indicator clears itself after a few seconds of silence.
    expect((await nextEvent(cashier, EVENTS.chatTyping.name, (e) => !e.data.isTyping, 8000)).data).toMatchObject({
      roomId,
      isTyping: false,
    });
    expect(managerTyping).toEqual([]); // the typist does not get their own indicator

    const page = await ack(cashier, COMMANDS.chatHistory.name, { roomId, limit: 10 });
    expect(page).toMatchObject({ ok: true, nextCursor: null, items: [{ id: sent.message.id }] });
  });

  it('delivers a message whose room id is written in upper case to the room', async () => {
    const roomId = await teamRoom();
    const upper = roomId.toUpperCase();
    const manager = await chatSocket(a.wsUrl, 'manager@demo.local');
    const cashier = await chatSocket(b.wsUrl, 'cashier1@demo.local');
    expect(await ack(manager, COMMANDS.chatJoin.name, { roomId })).toEqual({ ok: true, roomId });
    expect(await ack(cashier, COMMANDS.chatJoin.name, { roomId: upper })).toEqual({ ok: true, roomId });

    const toManager = nextEvent(manager, EVENTS.chatMessage.name, (e) => e.data.roomId === roomId);
    const sent = await ack(cashier, COMMANDS.chatMessage.name, { roomId: upper, body: 'On my way', clientMessageId: randomUUID() });
    expect(sent).toMatchObject({ ok: true, message: { roomId, body: 'On my way' } });
    expect((await toManager).data.message).toEqual(sent.message);
    const viaRest = await api(a.httpUrl, 'GET', `/chat/rooms/${upper}/messages?limit=5`, await tokenOf('manager@demo.local'));
    expect(viaRest.body.items.map((m: { id: string }) => m.id)).toEqual([sent.message.id]);
  });

  it('refuses a non-member on join, message and history, and hides rooms from other companies', async () => {
    const roomId = await teamRoom();
    const staff = await chatSocket(c.wsUrl, 'staff@demo.local');
    const other = await chatSocket(c.wsUrl, 'admin@other.local');
    const attempts = [
      [COMMANDS.chatJoin.name, { roomId }],
      [COMMANDS.chatMessage.name, { roomId, body: 'hi', clientMessageId: randomUUID() }],
      [COMMANDS.chatHistory.name, { roomId, limit: 10 }],
    ] as const;
    for (const [event, payload] of attempts) {
      expect(await ack(staff, event, payload)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await ack(other, event, payload)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    const otherAdmin = await tokenOf('admin@other.local');
    expect((await api(c.httpUrl, 'GET', `/chat/rooms/${roomId}/messages`, otherAdmin)).status).toBe(404);
    expect((await api(c.httpUrl, 'GET', '/chat/rooms', otherAdmin)).body).toEqual({ items: [], nextCursor: null });
  });

  it('raises an expired lot once, with three replicas sweeping on schedule and on demand', async () => {
    const prisma = await connectPrisma(db.uri);
    try {
      const admin = await chatSocket(b.wsUrl, 'admin@demo.local', 'notifications');
      // An ADMIN is in the company room only; a store's alerts come with subscribing to the store.
      expect(await ack(admin, COMMANDS.subscribe.name, { room: `workspace:${ids.centro}` })).toMatchObject({ ok: true });
      const alerts = record(admin, EVENTS.systemAlert.name);
      const product = await prisma.product.create({
        data: { companyId: ids.companyId, sku: `E2E-${randomUUID().slice(0, 8)}`, name: 'Yogurt', price: 99 },
      });
      const lot = await prisma.stockLot.create({
        data: { workspaceId: ids.centro, productId: product.id, quantity: 6, expiresAt: new Date(Date.now() - 60_000) },
      });
      const adminToken = await tokenOf('admin@demo.local');
      // On-demand runs on every replica at once race the scheduled ones.
      const runs = await Promise.all(cluster.replicas.map((r) => api(r.httpUrl, 'POST', '/notifications/sweeps/run', adminToken)));
      expect(runs.map((r) => r.status)).toEqual([200, 200, 200]);
      await sleep(SWEEP_INTERVAL_MS * 4 + QUIET_MS);

      expect(await prisma.notification.count({ where: { dedupKey: `EXPIRED:${lot.id}` } })).toBe(1);
      const forLot = alerts.filter((e) => e.data.data?.lotId === lot.id);
      expect(forLot).toHaveLength(1);
      expect(forLot[0].data).toMatchObject({ kind: 'EXPIRED_PRODUCT', scope: { type: 'workspace', workspaceId: ids.centro } });

      const titles = async (email: string) =>
        ((await api(c.httpUrl, 'GET', '/notifications?limit=100', await tokenOf(email))).body.items as Array<{ id: string }>).map(
          (n) => n.id,
        );
      expect(await titles('cashier1@demo.local')).toContain(forLot[0].data.notificationId);
      expect(await titles('cashier2@demo.local')).not.toContain(forLot[0].data.notificationId);
      expect(await titles('admin@other.local')).toEqual([]);
    } finally {
      await prisma.onApplicationShutdown();
    }
  });
});
