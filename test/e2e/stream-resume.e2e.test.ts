import { afterAll, beforeAll, expect, it } from 'vitest';
import { COMMANDS, CONTROL_EVENTS, EVENTS, Rooms } from '@retail/realtime-protocol';
import {
  ack,
  connectStream,
  createTestDatabase,
  demoIds,
  describeWithServices,
  login,
  productBySku,
  REDIS_TEST_URL,
  sell,
  sleep,
  startCluster,
  type Cluster,
  type TestDatabase,
} from '@retail/testing';

const SALE = EVENTS.posSaleCompleted.name;

describeWithServices(['postgres', 'redis'], 'streams: positions and resume across replicas', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  let ids: Awaited<ReturnType<typeof demoIds>>;
  let cashier: string;
  let manager: string;
  let water: string;
  let a: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster({ replicas: 2, databaseUri: db.uri, redisUrl: REDIS_TEST_URL });
    a = cluster.replicas[0].httpUrl;
    ids = await demoIds(a);
    cashier = await login(a, 'cashier1@demo.local', { deviceId: ids.centroDevice });
    manager = await login(a, 'manager@demo.local');
    water = (await productBySku(a, cashier, 'WATER-500')).id;
  });
  afterAll(async () => {
    await cluster?.stop();
    await db?.drop();
  });

  const centro = () => Rooms.workspace(ids.centro);
  const sales = (received: Array<[string, any]>) => received.filter(([name]) => name === SALE).map(([, e]) => e);
  /** Offsets, in arrival order, of every event of `room` (sales, carts, payments, totals). */
  const offsetsIn = (received: Array<[string, any]>, room: string) =>
    received.filter(([, e]) => e?.positions?.[room]).map(([, e]) => BigInt(e.positions[room].offset));
  const consecutiveFrom = (start: bigint, n: number) => Array.from({ length: n }, (_, i) => start + BigInt(i) + 1n);
  const sellOne = async () => expect((await sell(a, cashier, [{ productId: water, quantity: 1 }])).status).toBe(201);

  it('gives every room a head on connect, and every stream event consecutive offsets in each of its rooms', async () => {
    const dashboard = await connectStream(cluster.replicas[1].wsUrl, 'pos', manager);
    const ready = await dashboard.first(CONTROL_EVENTS.sessionReady.name);
    const start = BigInt(ready.rooms[centro()].offset);
    for (let i = 0; i < 3; i++) await sellOne();
    await sleep(1_000);
    const got = sales(dashboard.received);
    expect(got).toHaveLength(3);
    const offsets = offsetsIn(dashboard.received, centro());
    expect(offsets.length).toBeGreaterThan(3);
    expect(offsets).toEqual(consecutiveFrom(start, offsets.length));
    expect(got[0].positions[centro()].epoch).toBe(ready.rooms[centro()].epoch);
    // A sale is in the device's, the store's and the company's streams.
    expect(Object.keys(got[0].positions).sort()).toEqual([Rooms.company(ids.companyId), Rooms.pos(ids.centroDevice), centro()].sort());
    dashboard.socket.close();
  });

  it('replays what a dashboard missed on any replica, in order and before live events, then resume.ok', async () => {
    const first = await connectStream(cluster.replicas[0].wsUrl, 'pos', manager);
    const ready = await first.first(CONTROL_EVENTS.sessionReady.name);
    first.socket.close();
    const from = ready.rooms[centro()];
    for (let i = 0; i < 5; i++) await sellOne();

    const back = await connectStream(cluster.replicas[1].wsUrl, 'pos', manager, { [centro()]: from });
    const ok = await back.first(CONTROL_EVENTS.resumeOk.name);
    const okAt = back.received.findIndex(([name]) => name === CONTROL_EVENTS.resumeOk.name);
    const replayed = offsetsIn(back.received.slice(0, okAt), centro());
    expect(replayed).toEqual(consecutiveFrom(BigInt(from.offset), replayed.length));
    expect(ok.rooms[centro()]).toEqual({ offset: replayed.at(-1)!.toString(), epoch: from.epoch });
    // What was committed but not yet relayed when it connected follows live, right after.
    await sleep(1_000);
    expect(offsetsIn(back.received, centro())).toEqual(consecutiveFrom(BigInt(from.offset), offsetsIn(back.received, centro()).length));
    expect(sales(back.received)).toHaveLength(5);
    back.socket.close();
  });

  it('resets a room whose epoch is not the current one, and refuses rooms the caller may not see', async () => {
    const other = await login(a, 'admin@other.local');
    const foreign = Rooms.workspace(ids.centro);
    const s = await connectStream(cluster.replicas[0].wsUrl, 'pos', other, { [foreign]: { offset: '1', epoch: 'x' } });
    const ok = await s.first(CONTROL_EVENTS.resumeOk.name);
    expect(ok.refused).toEqual({ [foreign]: 'forbidden' });
    s.socket.close();

    const m = await connectStream(cluster.replicas[0].wsUrl, 'pos', manager, { [centro()]: { offset: '1', epoch: 'not-this-one' } });
    const reset = await m.first(CONTROL_EVENTS.resumeReset.name);
    expect(reset).toMatchObject({ room: centro(), reason: 'epoch_changed', position: { epoch: expect.any(String) } });
    m.socket.close();
  });

  it('resumes in band, and acks subscribe with the room head', async () => {
    const admin = await login(a, 'admin@demo.local');
    const s = await connectStream(cluster.replicas[1].wsUrl, 'pos', admin);
    const joined = await ack(s.socket, COMMANDS.subscribe.name, { room: Rooms.workspace(ids.norte) });
    expect(joined).toMatchObject({ ok: true, room: Rooms.workspace(ids.norte), position: { offset: expect.any(String) } });
    const ready = await s.first(CONTROL_EVENTS.sessionReady.name);
    const company = Rooms.company(ids.companyId);
    await sellOne();
    await sellOne();
    const behind = { offset: (BigInt(ready.rooms[company].offset) + 0n).toString(), epoch: ready.rooms[company].epoch };
    expect(await ack(s.socket, COMMANDS.resume.name, { rooms: { [company]: behind } })).toEqual({ ok: true });
    await sleep(1_000);
    // Two live, then the same two again in the replay: one copy each after dedupe by id.
    const ids2 = new Set(sales(s.received).map((e) => e.id));
    expect(ids2.size).toBe(2);
    expect(s.received.some(([name]) => name === CONTROL_EVENTS.resumeOk.name)).toBe(true);
    s.socket.close();
  });
});
