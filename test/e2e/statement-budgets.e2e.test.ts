import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  api,
  createTestDatabase,
  demoIds,
  describeWithServices,
  login,
  productBySku,
  readMetrics,
  sleep,
  startReplica,
  tillSale,
  type ApiResponse,
  type Replica,
  type TestDatabase,
} from '@retail/testing';

/**
 * What each POS and inventory command costs PostgreSQL, in statements that do work (transaction
 * control, BEGIN and COMMIT, not counted), read from the replica's own count (db_statements_total):
 * exact, so a command that grows a round trip fails here. The caller's access is resolved just
 * before (it is cached a few seconds), so only the command itself is counted.
 */
const BUDGETS = {
  'open a cart': 3,
  'set its items': 4,
  'take a payment': 3,
  'check it out': 6,
  'one sale from the till': 4,
  'an upload of 500 till sales': 20,
  'stock in (IN movement)': 5,
};

describeWithServices(['postgres'], 'statement budgets: what each command costs PostgreSQL', () => {
  let db: TestDatabase;
  let replica: Replica;
  let base: string;
  let cashier: string;
  let admin: string;
  let ids: Awaited<ReturnType<typeof demoIds>>;
  let water: { id: string; price: number };
  const spent: Record<string, number> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    // One replica on its own (no Redis), so nothing but the command uses its request pool: the relay
    // runs on a session of its own, and the sweep is set far off.
    replica = await startReplica('budget', { DATABASE_URI: db.uri, ALERT_SWEEP_INTERVAL_MS: '3600000' });
    base = replica.httpUrl;
    ids = await demoIds(base);
    cashier = await login(base, 'cashier2@demo.local', { deviceId: ids.norteDevice });
    admin = await login(base, 'admin@demo.local');
    water = await productBySku(base, cashier, 'WATER-500');
  });
  afterAll(async () => {
    // The figures, for the README's table.
    console.log(
      Object.entries(spent)
        .map(([command, n]) => `${command}: ${n} (budget ${BUDGETS[command as keyof typeof BUDGETS]})`)
        .join('\n'),
    );
    await replica?.stop();
    await db?.drop();
  });

  const work = async () => (await readMetrics(base))('db_statements_total{kind="work"}');
  /** Until nothing else (a login's cleanup, a cache fill) is still running. */
  const settled = async () => {
    for (let last = await work(); ;) {
      await sleep(150);
      const now = await work();
      if (now === last) return now;
      last = now;
    }
  };
  /** Runs `command` once and answers what it answered and how many statements it sent. */
  const measure = async (name: keyof typeof BUDGETS, token: string, command: () => Promise<ApiResponse>) => {
    await api(base, 'GET', '/auth/me', token); // the caller's access, in the cache
    const before = await settled();
    const answer = await command();
    spent[name] = (await settled()) - before;
    return answer;
  };

  it('keeps the cart flow within its budgets: cart 3, items 4, payment 3, checkout 6', async () => {
    const cart = await measure('open a cart', cashier, () => api(base, 'POST', '/pos/carts', cashier, {}));
    expect(cart.status).toBe(201);
    const items = await measure('set its items', cashier, () =>
      api(base, 'PATCH', `/pos/carts/${cart.body.id}`, cashier, { items: [{ productId: water.id, quantity: 2 }] }),
    );
    expect(items.status).toBe(200);
    const paid = await measure('take a payment', cashier, () =>
      api(base, 'POST', `/pos/carts/${cart.body.id}/payments`, cashier, { method: 'CARD', amount: items.body.total }),
    );
    expect(paid.status).toBe(201);
    const sale = await measure('check it out', cashier, () => api(base, 'POST', `/pos/carts/${cart.body.id}/checkout`, cashier));
    expect(sale.status).toBe(201);
    for (const name of ['open a cart', 'set its items', 'take a payment', 'check it out'] as const) {
      expect(spent[name], name).toBeLessThanOrEqual(BUDGETS[name]);
    }
  });

  it('keeps a till sale within 4 statements, and an upload of 500 within 20', async () => {
    const line = [{ productId: water.id, quantity: 1, unitPrice: water.price }];
    const one = await measure('one sale from the till', cashier, () => api(base, 'POST', '/pos/sales', cashier, tillSale(line)));
    expect(one.status).toBe(201);
    const upload = await measure('an upload of 500 till sales', cashier, () =>
      api(base, 'POST', '/pos/sales/sync', cashier, { sales: Array.from({ length: 500 }, () => tillSale(line)) }),
    );
    expect(upload.body.results.filter((r: { status: string }) => r.status === 'accepted')).toHaveLength(500);
    expect(spent['one sale from the till']).toBeLessThanOrEqual(BUDGETS['one sale from the till']);
    expect(spent['an upload of 500 till sales']).toBeLessThanOrEqual(BUDGETS['an upload of 500 till sales']);
  });

  it('keeps a stock movement within its budget', async () => {
    const moved = await measure('stock in (IN movement)', admin, () =>
      api(base, 'POST', '/inventory/movements', admin, { type: 'IN', workspaceId: ids.norte, productId: water.id, quantity: 5 }),
    );
    expect(moved.status).toBe(201);
    expect(spent['stock in (IN movement)']).toBeLessThanOrEqual(BUDGETS['stock in (IN movement)']);
  });
});
