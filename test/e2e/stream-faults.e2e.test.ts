import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CONTROL_EVENTS, EVENTS, Rooms } from '@retail/realtime-protocol';
import {
  connectPrisma,
  connectStream,
  createTestDatabase,
  demoIds,
  describeWithServices,
  login,
  productBySku,
  REDIS_TEST_URL,
  sell,
  sleep,
  startReplica,
  type Replica,
  type TestDatabase,
} from '@retail/testing';

const SALE = EVENTS.posSaleCompleted.name;

describeWithServices(['postgres', 'redis'], 'streams: the relay dies between commit and publish', () => {
  let db: TestDatabase;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await db?.drop();
  });

  it('delivers the event from another replica within 5 s', async () => {
    const env = { DATABASE_URI: db.uri, REDIS_URL: REDIS_TEST_URL, REDIS_KEY_PREFIX: `rt-test-${randomBytes(4).toString('hex')}` };
    // Started first, the faulty replica holds the relay lock; it dies once it has committed the relay of a sale.
    const faulty = await startReplica('faulty', { ...env, FAULT_INJECTION: 'crash-before-publishing-a-sale' });
    replicas.push(faulty, await startReplica('B', env), await startReplica('C', env));
    const [, b, c] = replicas;
    const ids = await demoIds(b.httpUrl);
    const cashier = await login(b.httpUrl, 'cashier1@demo.local', { deviceId: ids.centroDevice });
    const water = (await productBySku(b.httpUrl, cashier, 'WATER-500')).id;
    const dashboard = await connectStream(c.wsUrl, 'pos', await login(b.httpUrl, 'manager@demo.local'));
    await dashboard.first(CONTROL_EVENTS.sessionReady.name);

    const died = new Promise<NodeJS.Signals | null>((resolve) => faulty.process.once('exit', (_code, signal) => resolve(signal)));
    const sale = await sell(b.httpUrl, cashier, [{ productId: water, quantity: 1 }]);
    expect(sale.status).toBe(201);
    const soldAt = Date.now();
    expect(await died).toBe('SIGKILL');

    const delivered = await dashboard.first(SALE, 5_000);
    expect(delivered.data.saleId).toBe(sale.body.id);
    expect(Date.now() - soldAt).toBeLessThan(5_000);
    // Everything the store's stream holds reached the dashboard, in order, nothing twice.
    await sleep(500);
    const room = Rooms.workspace(ids.centro);
    const offsets = dashboard.received.filter(([, e]) => e?.positions?.[room]).map(([, e]) => Number(e.positions[room].offset));
    const unique = [...new Set(offsets)];
    expect(unique).toEqual(Array.from({ length: unique.length }, (_, i) => unique[0] + i));
    dashboard.socket.close();
  });
});

describeWithServices(['postgres', 'redis'], 'streams: a long gap', () => {
  const MISSED = 20_000;
  let db: TestDatabase;
  let node: Replica;

  beforeAll(async () => {
    db = await createTestDatabase();
    node = await startReplica('A', {
      DATABASE_URI: db.uri,
      REDIS_URL: REDIS_TEST_URL,
      REDIS_KEY_PREFIX: `rt-test-${randomBytes(4).toString('hex')}`,
    });
  });
  afterAll(async () => {
    await node?.stop();
    await db?.drop();
  });

  /** Alerts written straight into the outbox, as 20,000 committed changes would: the relay does the rest. */
  async function commitAlerts(companyId: string, count: number) {
    const prisma = await connectPrisma(db.uri);
    try {
      await prisma.$executeRaw`
        INSERT INTO realtime_event (id, namespace, rooms, envelope)
        SELECT gen_random_uuid(), '/notifications', ARRAY[${Rooms.company(companyId)}::text],
          jsonb_build_object('id', gen_random_uuid(), 'type', ${EVENTS.systemInfo.name}::text, 'occurredAt', now(), 'companyId', ${companyId}::text,
            'data', jsonb_build_object('companyId', ${companyId}::text, 'notificationId', null, 'scope', jsonb_build_object('type', 'company'),
              'kind', 'CUSTOM', 'title', 'n' || i, 'message', 'bulk', 'createdAt', now()))
        FROM generate_series(1, ${count}::int) AS i`;
    } finally {
      await prisma.onApplicationShutdown();
    }
  }

  it('replays 20,000 missed events in pages, in order, while another socket keeps receiving live alerts', async () => {
    const ids = await demoIds(node.httpUrl);
    const admin = await login(node.httpUrl, 'admin@demo.local');
    const room = Rooms.company(ids.companyId);
    const first = await connectStream(node.wsUrl, 'notifications', admin);
    const from = (await first.first(CONTROL_EVENTS.sessionReady.name)).rooms[room];
    first.socket.close();

    // A bystander on the same replica: how long its live events take, before and during the replay.
    // Connected before the alerts commit, so it sees every one of them go by live.
    const bystander = await connectStream(node.wsUrl, 'notifications', await login(node.httpUrl, 'cashier1@demo.local'));
    await bystander.first(CONTROL_EVENTS.sessionReady.name);
    await commitAlerts(ids.companyId, MISSED);
    await waitForRelay(bystander, MISSED);
    const broadcast = (title: string) =>
      fetch(`${node.httpUrl}/notifications`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title, message: 'latency probe', level: 'INFO' }),
      });
    /** One live alert to the bystander: ms from its request to its arrival. */
    const probe = async () => {
      const title = `probe-${randomUUID()}`;
      const sent = Date.now();
      await broadcast(title);
      return (await waitFor(() => bystander.received.find(([, e]) => e?.data?.title === title))) - sent;
    };
    for (let i = 0; i < 5; i++) await probe(); // warm-up
    const before: number[] = [];
    for (let i = 0; i < 20; i++) before.push(await probe());

    // Live alerts go on reaching the bystander while the replay runs: counted, not timed.
    const resumed = await connectStream(node.wsUrl, 'notifications', admin, { [room]: from });
    let replayOver = false;
    const over = resumed.first(CONTROL_EVENTS.resumeOk.name, 120_000).finally(() => (replayOver = true));
    const during: number[] = [];
    while (!replayOver) {
      const ms = await probe();
      if (!replayOver) during.push(ms);
    }
    await over;
    const replayed = resumed.received.filter(([name, e]) => name === EVENTS.systemInfo.name && e.data.message === 'bulk');
    expect(replayed).toHaveLength(MISSED);
    const offsets = replayed.map(([, e]) => Number(e.positions[room].offset));
    expect(offsets[0]).toBe(Number(from.offset) + 1);
    expect(offsets.every((o, i) => i === 0 || o === offsets[i - 1] + 1)).toBe(true);

    const pct = (values: number[], p: number) => [...values].sort((x, y) => x - y)[Math.ceil(values.length * p) - 1];
    console.log(
      `bystander delivery p50 / p99: ${pct(before, 0.5)} / ${pct(before, 0.99)} ms before, ` +
        `${pct(during, 0.5)} / ${pct(during, 0.99)} ms during a ${MISSED}-event replay (${during.length} alerts during it)`,
    );
    // A replay in pages leaves the event loop between them: live alerts keep arriving while it runs.
    // Its latency figures belong to the benchmark, not to a pass/fail on a shared 2-core machine.
    expect(during.length).toBeGreaterThanOrEqual(3);
    resumed.socket.close();
    bystander.socket.close();
  });
});

/** Resolves with the time `found` first returns something, polling every 5 ms for up to 10 s. */
async function waitFor(found: () => unknown, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (!found()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(5);
  }
  return Date.now();
}

/** The bulk alerts are relayed once the bystander has seen them all go by live. */
async function waitForRelay(socket: { received: Array<[string, any]> }, count: number) {
  await waitFor(() => socket.received.filter(([, e]) => e?.data?.message === 'bulk').length >= count, 60_000);
}
