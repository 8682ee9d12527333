import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSaleQueue } from '@retail/realtime-client';
import { openFileSaleStore } from '@retail/realtime-client/node';
import { EVENTS } from '@retail/realtime-protocol';
import {
  api,
  connectSocket,
  createTestDatabase,
  demoIds,
  describeWithServices,
  login,
  productBySku,
  QUIET_MS,
  record,
  REDIS_TEST_URL,
  sleep,
  startCluster,
  startNetworkCut,
  startReplica,
  tillSale,
  until,
  type Cluster,
  type Replica,
  type TestDatabase,
} from '@retail/testing';
import type { Socket } from 'socket.io-client';

const SALE = EVENTS.posSaleCompleted.name;
const TOTALS = EVENTS.posDailyTotalsUpdated.name;

describeWithServices(['postgres', 'redis'], 'till sales across two replicas', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  let a: string, b: string;
  let ids: Awaited<ReturnType<typeof demoIds>>;
  let cashier: string;
  let water: { id: string; price: number };
  const sockets: Socket[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster({ replicas: 2, databaseUri: db.uri, redisUrl: REDIS_TEST_URL });
    [a, b] = cluster.replicas.map((r) => r.httpUrl);
    ids = await demoIds(a);
    cashier = await login(a, 'cashier2@demo.local', { deviceId: ids.norteDevice });
    water = await productBySku(a, cashier, 'WATER-500');
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await cluster?.stop();
    await db?.drop();
  });

  const sale = (quantity = 1) => tillSale([{ productId: water.id, quantity, unitPrice: water.price }]);
  /** A store dashboard on replica B, recording sales and totals. */
  const dashboard = async () => {
    const socket = await connectSocket(cluster.replicas[1].wsUrl, 'pos', await login(a, 'manager@demo.local'));
    sockets.push(socket);
    return record(socket, SALE, TOTALS);
  };
  const totals = async () => (await api(a, 'GET', `/pos/daily-totals?workspaceId=${ids.norte}`, cashier)).body;
  const salesCount = async (id: string) => (await api(a, 'GET', `/pos/sales/${id}`, cashier)).status;

  it('stores a sale sent ten times at once over two replicas once, and sends its event once', async () => {
    const got = await dashboard();
    const totals0 = await totals();
    const one = sale();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => api(i % 2 ? b : a, 'POST', '/pos/sales', cashier, one)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(answers.every((r) => r.body.id === one.id && r.body.source === 'till' && r.body.total === water.price)).toBe(true);
    await until('the sale reached the dashboard', () => got.some((e) => e.type === SALE && e.data.saleId === one.id));
    await sleep(QUIET_MS);
    expect(got.filter((e) => e.type === SALE && e.data.saleId === one.id)).toHaveLength(1);
    expect((await totals()).salesCount).toBe(totals0.salesCount + 1);
  });

  it('keeps a sale whose answer died with its replica (kill -9 after the commit), and counts the retry as the same sale', async () => {
    const faulty: Replica = await startReplica('faulty', {
      DATABASE_URI: db.uri,
      REDIS_URL: REDIS_TEST_URL,
      REDIS_KEY_PREFIX: cluster.redisPrefix,
      FAULT_INJECTION: 'crash-after-committing-a-till-sale',
    });
    const got = await dashboard();
    const totals0 = await totals();
    const one = sale(2);
    const died = new Promise<NodeJS.Signals | null>((resolve) => faulty.process.once('exit', (_code, signal) => resolve(signal)));
    const lost = await api(faulty.httpUrl, 'POST', '/pos/sales', cashier, one).catch((error: Error) => error);
    expect(lost).toBeInstanceOf(Error); // the till never got an answer
    expect(await died).toBe('SIGKILL');

    const retried = await api(a, 'POST', '/pos/sales', cashier, one);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: one.id, total: 2 * water.price });
    expect((await totals()).salesCount).toBe(totals0.salesCount + 1);
    await until('the sale reached the dashboard', () => got.some((e) => e.type === SALE && e.data.saleId === one.id));
    await sleep(QUIET_MS);
    expect(got.filter((e) => e.type === SALE && e.data.saleId === one.id)).toHaveLength(1);
    await faulty.stop();
  });

  it('stores 500 sales synced twice at once through two replicas once each: totals exact, each event once', async () => {
    const got = await dashboard();
    const totals0 = await totals();
    const batch = Array.from({ length: 500 }, (_, i) => ({ ...sale(1 + (i % 3)), sequence: 1000 + i }));
    const gross = batch.reduce((sum, s) => sum + s.payments[0].amount, 0);
    const [first, second] = await Promise.all([a, b].map((via) => api(via, 'POST', '/pos/sales/sync', cashier, { sales: batch })));
    expect([first.status, second.status]).toEqual([200, 200]);
    for (const answer of [first, second]) {
      expect(answer.body.results.map((r: { id: string }) => r.id)).toEqual(batch.map((s) => s.id));
      expect(answer.body.results.every((r: { status: string }) => r.status === 'accepted' || r.status === 'duplicate')).toBe(true);
    }
    const accepted = [first, second].flatMap((r) => r.body.results.filter((x: { status: string }) => x.status === 'accepted'));
    expect(accepted).toHaveLength(500);

    const after = await totals();
    expect(after.salesCount).toBe(totals0.salesCount + 500);
    expect(after.grossAmount).toBe(totals0.grossAmount + gross);
    await until(
      'every sale reached the dashboard',
      () => new Set(got.filter((e) => e.type === SALE).map((e) => e.data.saleId)).size === 500,
      30_000,
    );
    await sleep(QUIET_MS);
    expect(got.filter((e) => e.type === SALE)).toHaveLength(500);
    // One totals event per store and day per upload that stored anything, not one per sale.
    const uploadsThatStored = [first, second].filter((r) => r.body.results.some((x: { status: string }) => x.status === 'accepted')).length;
    expect(got.filter((e) => e.type === TOTALS)).toHaveLength(uploadsThatStored);
    expect(got.filter((e) => e.type === TOTALS).at(-1)!.data.salesCount).toBe(after.salesCount);

    const state = (await api(b, 'GET', `/pos/devices/${ids.norteDevice}/sync-state`, cashier)).body;
    expect(state).toMatchObject({ lastSequence: 1499, missingSequences: [] });
    expect(await salesCount(batch[499].id)).toBe(200);
  });

  it('stops returns racing on two replicas at what was sold', async () => {
    const one = sale(3);
    expect((await api(a, 'POST', '/pos/sales', cashier, one)).status).toBe(201);
    const racing = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        api(i % 2 ? b : a, 'POST', `/pos/sales/${one.id}/returns`, cashier, {
          id: randomUUID(),
          lines: [{ productId: water.id, quantity: 1 }],
          refunds: [{ method: 'CARD', amount: water.price }],
          reason: 'damaged',
        }),
      ),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([201, 201, 201, 409, 409, 409]);
    expect(racing.filter((r) => r.status === 409).every((r) => r.body.code === 'return_exceeds_sale')).toBe(true);
    expect((await api(b, 'GET', `/pos/sales/${one.id}`, cashier)).body.lines[0]).toMatchObject({ quantity: 3, returnedQuantity: 3 });
  });

  it('sells through a network cut and a restart of the till: every sale stored once, nothing lost or doubled', async () => {
    const got = await dashboard();
    const totals0 = await totals();
    const dir = await mkdtemp(join(tmpdir(), 'till-'));
    const link = await startNetworkCut(a);
    const problems: string[] = [];
    const open = async () =>
      createSaleQueue({
        url: link.url,
        getToken: () => cashier,
        store: await openFileSaleStore(join(dir, 'sales.jsonl')),
        retryDelayMs: { min: 50, max: 200 },
        onError: (error) => problems.push(error.code),
      });
    try {
      // The uplink is gone: the till keeps selling, and every sale waits on disk.
      link.set('down');
      let till = await open();
      const offline = Array.from({ length: 20 }, () => sale());
      for (const s of offline) await till.add(s);
      await until('an upload was tried and failed', () => problems.includes('sync_failed'));
      expect(await salesCount(offline[0].id)).toBe(404);

      // The link comes back half: the server stores the upload, its answer never arrives.
      link.set('answers-lost');
      await until('the server stored the upload', async () => (await salesCount(offline[19].id)) === 200);
      expect((await till.pending()).map((s) => s.id)).toEqual(offline.map((s) => s.id));
      const later = Array.from({ length: 10 }, () => sale());
      for (const s of later) await till.add(s);

      // The till restarts, with its queue on disk, and the link is whole again.
      await till.close();
      till = await open();
      expect((await till.pending()).length).toBe(30);
      link.set('up');
      await until('the queue drained', async () => (await till.pending()).length === 0);
      await till.close();
    } finally {
      await link.stop();
      await rm(dir, { recursive: true, force: true });
    }
    expect((await totals()).salesCount).toBe(totals0.salesCount + 30);
    await until('every sale reached the dashboard', () => got.filter((e) => e.type === SALE).length >= 30);
    await sleep(QUIET_MS);
    expect(got.filter((e) => e.type === SALE)).toHaveLength(30);
  });

  it('refuses a sale from a login without a till, and a malformed one, with clear codes', async () => {
    const manager = await login(a, 'manager@demo.local');
    expect(await api(a, 'POST', '/pos/sales', manager, sale())).toMatchObject({ status: 403, body: { code: 'device_required' } });
    expect(await api(a, 'POST', '/pos/sales', cashier, { ...sale(), lines: [] })).toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    });
    expect(await api(a, 'POST', '/pos/sales/sync', cashier, { sales: [] })).toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    });
    const underpaid = { ...sale(2), payments: [{ method: 'CASH', amount: 1 }] };
    expect(await api(a, 'POST', '/pos/sales', cashier, underpaid)).toMatchObject({ status: 422, body: { code: 'payment_insufficient' } });
  });
});
