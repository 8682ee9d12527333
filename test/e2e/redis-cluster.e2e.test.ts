import { once } from 'node:events';
import { Cluster as RedisCluster } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { COMMANDS, EVENTS, Rooms, type RoomPositions } from '@retail/realtime-protocol';
import {
  ack,
  allCaughtUp,
  api,
  connectSocket,
  consecutive,
  createTestDatabase,
  demoIds,
  describeWithServices,
  login,
  nextEvent,
  openDashboard,
  productBySku,
  sell,
  startCluster,
  startPrivateRedisCluster,
  type Cluster,
  type PrivateRedisCluster,
  type TestDatabase,
} from '@retail/testing';

describeWithServices(['postgres'], 'three replicas on a 3-node Redis Cluster, sharded adapter', () => {
  let redis: PrivateRedisCluster;
  let db: TestDatabase;
  let cluster: Cluster;
  let a: Cluster['replicas'][number], b: typeof a, c: typeof a;
  let ids: Awaited<ReturnType<typeof demoIds>>;
  let cashier: string;
  let manager: string;
  let water: string;

  const sellWater = async () => {
    const sale = await sell(a.httpUrl, cashier, [{ productId: water, quantity: 1 }]);
    expect(sale.status).toBe(201);
    return sale.body.id as string;
  };

  beforeAll(async () => {
    redis = await startPrivateRedisCluster(3);
    db = await createTestDatabase();
    cluster = await startCluster({
      replicas: 3,
      databaseUri: db.uri,
      env: { REDIS_CLUSTER_NODES: redis.nodes.join(','), REDIS_ADAPTER: 'sharded', ALERT_SWEEP_INTERVAL_MS: '500' },
    });
    [a, b, c] = cluster.replicas;
    ids = await demoIds(a.httpUrl);
    cashier = await login(a.httpUrl, 'cashier1@demo.local', { deviceId: ids.centroDevice });
    manager = await login(a.httpUrl, 'manager@demo.local');
    water = (await productBySku(a.httpUrl, cashier, 'WATER-500')).id;
  });
  afterAll(async () => {
    await cluster?.stop();
    await db?.drop();
    await redis?.stop();
  });

  it('delivers a sale made on replica A to dashboards on B and C, every one once, in room order', async () => {
    const dashboards = [b, c, b, c].map((r) => openDashboard(r.wsUrl, 'pos', manager));
    await Promise.all(dashboards.map((d) => d.client.ready()));
    const sold: string[] = [];
    for (let i = 0; i < 5; i++) sold.push(await sellWater());
    await allCaughtUp(dashboards, sold, 15_000);
    for (const d of dashboards) {
      expect(d.sales()).toEqual(sold);
      expect(consecutive(d.offsets(Rooms.workspace(ids.centro)))).toBe(true);
    }
    await Promise.all(dashboards.map((d) => d.client.close()));
  });

  it('resumes a dashboard that left replica B on replica C with exactly what it missed', async () => {
    let saved: RoomPositions | undefined;
    const storage = { load: () => saved, save: (positions: RoomPositions) => void (saved = positions) };
    const first = openDashboard(b.wsUrl, 'pos', manager, { storage });
    await first.client.ready();
    const before = await sellWater();
    await allCaughtUp([first], [before], 15_000);
    await first.client.close();

    const missed: string[] = [];
    for (let i = 0; i < 4; i++) missed.push(await sellWater());
    const back = openDashboard(c.wsUrl, 'pos', manager, { storage });
    await back.client.ready();
    await allCaughtUp([back], missed, 15_000);

    expect(first.sales()).toEqual([before]);
    expect(back.sales()).toEqual(missed);
    const room = Rooms.workspace(ids.centro);
    expect(consecutive([...first.offsets(room), ...back.offsets(room)])).toBe(true);
    await back.client.close();
  });

  it('carries Socket.IO broadcasts (chat typing) between replicas through sharded pub/sub', async () => {
    const userId = (await api(a.httpUrl, 'GET', '/auth/me', cashier)).body.id as string;
    const room = await api(a.httpUrl, 'POST', '/chat/rooms', manager, { type: 'EMPLOYEE', name: 'Shift', memberIds: [userId] });
    expect(room.status).toBe(201);
    const roomId = room.body.id as string;
    const typist = await connectSocket(b.wsUrl, 'chat', manager);
    const reader = await connectSocket(c.wsUrl, 'chat', await login(a.httpUrl, 'cashier1@demo.local'));
    expect(await ack(typist, COMMANDS.chatJoin.name, { roomId })).toEqual({ ok: true, roomId });
    expect(await ack(reader, COMMANDS.chatJoin.name, { roomId })).toEqual({ ok: true, roomId });
    const typing = nextEvent(reader, EVENTS.chatTyping.name, (e) => e.data.isTyping);
    expect(await ack(typist, COMMANDS.chatTyping.name, { roomId, isTyping: true })).toEqual({ ok: true });
    expect((await typing).data).toMatchObject({ roomId, isTyping: true });
    typist.close();
    reader.close();
  });

  it('keeps the rest of Redis working on the cluster: readiness, the login limit, the sweep schedule', async () => {
    for (const replica of cluster.replicas) {
      const ready = await api(replica.httpUrl, 'GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.info.redis.status).toBe('up');
    }
    // Five failures spread over A and B, then C refuses the sixth attempt: the counter is shared.
    for (const replica of [a, b, a, b, a]) {
      const failed = await api(replica.httpUrl, 'POST', '/auth/login', undefined, {
        email: 'staff@demo.local',
        password: 'wrong-password',
      });
      expect(failed.status).toBe(401);
    }
    const limited = await api(c.httpUrl, 'POST', '/auth/login', undefined, { email: 'staff@demo.local', password: 'demo1234' });
    expect(limited.status).toBe(429);

    // BullMQ's keys share one hash tag, so its multi-key scripts run on one shard.
    const client = new RedisCluster(redis.nodes);
    try {
      await once(client, 'ready');
      const keys = (await Promise.all(client.nodes('master').map((node) => node.keys('*alert-sweeps*')))).flat();
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.every((key) => key.startsWith('{retail-rt:bull}:alert-sweeps:'))).toBe(true);
      expect(keys).toContain('{retail-rt:bull}:alert-sweeps:completed'); // and sweeps ran
      // The fan-out and the adapter listen on sharded channels (SSUBSCRIBE), not classic ones.
      const masters = client.nodes('master');
      const sharded = (await Promise.all(masters.map((node) => node.call('PUBSUB', 'SHARDCHANNELS') as Promise<string[]>))).flat();
      expect(sharded).toContain('retail-rt:streams');
      expect(sharded).toContain('retail-rt:socket.io#/pos#');
      const classic = (await Promise.all(masters.map((node) => node.call('PUBSUB', 'CHANNELS') as Promise<string[]>))).flat();
      expect(classic.filter((channel) => channel.startsWith('retail-rt:'))).toEqual([]);
    } finally {
      client.disconnect();
    }
    for (const replica of cluster.replicas) expect(replica.output()).not.toMatch(/CROSSSLOT|MOVED|Alert sweep failed/);
  });
});
