import { createRealtimeClient, type EnvelopeOf } from '@retail/realtime-client';
import { EVENTS } from '@retail/realtime-protocol';
import { api, connectSocket, login, productBySku, sell, sellAtTill, sleep } from '@retail/testing';
import { CHAIN_DEVICE_KEY, CHAIN_PASSWORD, chainNames } from './chain-fixture.js';
import { percentiles, type Percentiles } from './stats.js';

export interface LoadOptions {
  /** REST origins of the replicas; tills are spread over them. */
  apiUrls: string[];
  /** Socket.IO origins of the replicas; dashboards are spread over them. */
  wsUrls: string[];
  /** The synthetic chain to sell in (see setupChain). */
  chain: string;
  stores: number;
  devicesPerStore: number;
  dashboardsPerStore: number;
  /**
   * How a till sells: `cart`, the server-side cart in four calls (cart, items, payment, checkout);
   * `till`, the whole sale in one call (POST /pos/sales). Default cart.
   */
  flow?: 'cart' | 'till';
  /** Whole sales per second offered across the chain; each till runs one sale at a time. */
  rate: number;
  durationMs: number;
  maxSales: number;
  /** How long after the last sale a delivery may still arrive before it counts as missed. */
  graceMs: number;
  /**
   * The server runs with EVENT_STREAMS=false: dashboards are plain sockets, as the client library
   * needs the streams (it starts on session.ready, which such a server never sends).
   */
  streamsOff?: boolean;
  /** Called once a second while selling. */
  onTick?: (tick: LoadTick) => void;
  /** Called as selling starts and once its last sale is answered: the window a meter (CPU, say) should cover, logins left out. */
  onSelling?: { start(): void; stop(): void };
}

export interface LoadTick {
  second: number;
  tills: number;
  dashboards: number;
  /** Sales started, completed and dashboard deliveries received in the last second. */
  started: number;
  completed: number;
  delivered: number;
  errors: number;
  /** Offered but not yet started: every till was busy. */
  backlog: number;
}

export interface LoadSummary {
  stores: number;
  tills: number;
  dashboards: number;
  offeredRate: number;
  sellingSeconds: number;
  sales: number;
  salesPerSecond: number;
  flow: 'cart' | 'till';
  /** The whole sale (four calls, or one) and its last call alone (checkout, or the one call), ms. */
  saleMs: Percentiles;
  checkoutMs: Percentiles;
  /** Envelope `occurredAt` (built just before the sale commits) to receipt on a dashboard, ms. */
  deliveryMs: Percentiles;
  deliveredPerSecond: number;
  expectedDeliveries: number;
  missed: number;
  duplicates: number;
  errors: number;
  errorSamples: string[];
}

interface Till {
  apiUrl: string;
  token: string;
  busy: boolean;
}

interface Deliveries {
  workspaceId: string;
  /** Receipts per dashboard of the sale's store. */
  perDashboard: Uint16Array;
}

interface Dashboard {
  close(): Promise<unknown>;
}
type SaleEnvelope = EnvelopeOf<typeof EVENTS.posSaleCompleted.name>;
const READY_TIMEOUT_MS = 30_000;

/** A store dashboard on /pos, resolved once it is live: on the client library, or a plain socket when streams are off. */
async function openDashboard(
  url: string,
  token: string,
  streams: boolean,
  onError: (error: Error) => void,
  onSale: (sale: SaleEnvelope) => void,
): Promise<Dashboard> {
  if (!streams) {
    const socket = await connectSocket(url, 'pos', token);
    socket.on(EVENTS.posSaleCompleted.name, onSale);
    return { close: async () => socket.close() };
  }
  const client = createRealtimeClient({ url, namespace: 'pos', getToken: () => token, transports: ['websocket'], onError });
  client.on(EVENTS.posSaleCompleted.name, onSale);
  const timeout = sleep(READY_TIMEOUT_MS).then(() =>
    Promise.reject(new Error(`dashboard on ${url} not ready after ${READY_TIMEOUT_MS} ms`)),
  );
  await Promise.race([client.ready(), timeout]).catch(async (error) => {
    await client.close();
    throw error;
  });
  return client;
}

/** Logs in the chain's tills and dashboards, sells at `rate` for `durationMs` (or `maxSales`), and sums it up. */
export async function runLoad(options: LoadOptions): Promise<LoadSummary> {
  const names = chainNames(options.chain);
  const [firstApi] = options.apiUrls;
  const admin = await login(firstApi, names.admin, { password: CHAIN_PASSWORD });
  const stores = ((await api(firstApi, 'GET', '/workspaces', admin)).body as Array<{ id: string; name: string }>)
    .filter((w) => /^Store \d+$/.test(w.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, options.stores);
  if (stores.length < options.stores)
    throw new Error(`chain "${options.chain}" has ${stores.length} stores, not ${options.stores}: run --setup`);

  const tills: Till[] = [];
  const dashboards = new Map<string, Dashboard[]>();
  const deliveries = new Map<string, Deliveries>();
  const deliveryMs: number[] = [];
  let delivered = 0;
  let duplicates = 0;
  const errorSamples: string[] = [];
  let errors = 0;
  const fail = (error: unknown) => {
    errors++;
    if (errorSamples.length < 10) errorSamples.push(error instanceof Error ? error.message : String(error));
  };

  try {
    let dashboardIndex = 0;
    // One store after another: the server refuses too many logins at once (503 login_busy).
    for (const [s, store] of stores.entries()) {
      const devices = (await api(firstApi, 'GET', `/workspaces/${store.id}/devices`, admin)).body as Array<{ id: string }>;
      if (devices.length < options.devicesPerStore) throw new Error(`${store.name} has ${devices.length} devices: run --setup`);
      for (const device of devices.slice(0, options.devicesPerStore)) {
        const apiUrl = options.apiUrls[tills.length % options.apiUrls.length];
        tills.push({
          apiUrl,
          token: await login(apiUrl, names.cashier(s + 1), { password: CHAIN_PASSWORD, deviceId: device.id, deviceKey: CHAIN_DEVICE_KEY }),
          busy: false,
        });
      }
      const manager = await login(firstApi, names.manager(s + 1), { password: CHAIN_PASSWORD });
      const clients = await Promise.all(
        Array.from({ length: options.dashboardsPerStore }, (_, k) =>
          openDashboard(options.wsUrls[dashboardIndex++ % options.wsUrls.length], manager, !options.streamsOff, fail, (sale) => {
            const receivedAt = Date.now();
            let entry = deliveries.get(sale.data.saleId);
            if (!entry)
              deliveries.set(
                sale.data.saleId,
                (entry = { workspaceId: store.id, perDashboard: new Uint16Array(options.dashboardsPerStore) }),
              );
            if (entry.perDashboard[k]++ > 0) return void duplicates++;
            delivered++;
            deliveryMs.push(receivedAt - Date.parse(sale.occurredAt));
          }),
        ),
      );
      dashboards.set(store.id, clients);
    }
    const [productA, productB] = await Promise.all(names.skus.map((sku) => productBySku(firstApi, tills[0].token, sku)));
    const lines = [
      { productId: productA.id, quantity: 1, unitPrice: productA.price },
      { productId: productB.id, quantity: 2, unitPrice: productB.price },
    ];
    const flow = options.flow ?? 'cart';
    const sellBy = {
      cart: (till: Till) =>
        sell(
          till.apiUrl,
          till.token,
          lines.map(({ productId, quantity }) => ({ productId, quantity })),
        ),
      till: async (till: Till) => {
        const started = performance.now();
        const res = await sellAtTill(till.apiUrl, till.token, lines);
        return { ...res, checkoutMs: performance.now() - started };
      },
    }[flow];

    const sold = new Map<string, string>(); // sale id → store id
    const saleMs: number[] = [];
    const checkoutMs: number[] = [];
    const sellOnce = async (till: Till) => {
      till.busy = true;
      const started = performance.now();
      try {
        const res = await sellBy(till);
        if (res.status !== 201) throw new Error(`${flow} sale: ${res.status} ${JSON.stringify(res.body)}`);
        saleMs.push(performance.now() - started);
        checkoutMs.push(res.checkoutMs);
        sold.set(res.body.id, res.body.workspaceId);
      } catch (error) {
        fail(error);
      } finally {
        till.busy = false;
      }
    };

    // Open loop: sales are due at `rate`; a due sale waits for an idle till (the backlog).
    const inFlight = new Set<Promise<void>>();
    options.onSelling?.start();
    const start = performance.now();
    let started = 0;
    let nextTill = 0;
    let last = { started: 0, completed: 0, delivered: 0, errors: 0 };
    let second = 0;
    const due = () => Math.min(options.maxSales, Math.floor(((performance.now() - start) / 1000) * options.rate));
    while (started < options.maxSales && performance.now() - start < options.durationMs) {
      while (started < due()) {
        const idle = tills.findIndex((_, i) => !tills[(nextTill + i) % tills.length].busy);
        if (idle < 0) break;
        const till = tills[(nextTill + idle) % tills.length];
        nextTill = (nextTill + idle + 1) % tills.length;
        started++;
        const sale = sellOnce(till).finally(() => inFlight.delete(sale));
        inFlight.add(sale);
      }
      if (performance.now() - start >= (second + 1) * 1000) {
        second++;
        const now = { started, completed: saleMs.length, delivered, errors };
        options.onTick?.({
          second,
          tills: tills.length,
          dashboards: [...dashboards.values()].flat().length,
          started: now.started - last.started,
          completed: now.completed - last.completed,
          delivered: now.delivered - last.delivered,
          errors: now.errors - last.errors,
          backlog: due() - started,
        });
        last = now;
      }
      await sleep(2);
    }
    await Promise.all(inFlight);
    const sellingSeconds = (performance.now() - start) / 1000;
    options.onSelling?.stop();

    const expected = () => [...sold.values()].reduce((sum, workspaceId) => sum + (dashboards.get(workspaceId)?.length ?? 0), 0);
    const expectedDeliveries = expected();
    const received = () =>
      [...sold.keys()].reduce((sum, id) => sum + (deliveries.get(id)?.perDashboard.filter((n) => n > 0).length ?? 0), 0);
    const graceEnd = Date.now() + options.graceMs;
    while (received() < expectedDeliveries && Date.now() < graceEnd) await sleep(50);
    const deliveredSeconds = (performance.now() - start) / 1000;

    return {
      stores: stores.length,
      tills: tills.length,
      dashboards: [...dashboards.values()].flat().length,
      offeredRate: options.rate,
      flow,
      sellingSeconds,
      sales: sold.size,
      salesPerSecond: sold.size / sellingSeconds,
      saleMs: percentiles(saleMs),
      checkoutMs: percentiles(checkoutMs),
      deliveryMs: percentiles(deliveryMs),
      deliveredPerSecond: delivered / deliveredSeconds,
      expectedDeliveries,
      missed: expectedDeliveries - received(),
      duplicates,
      errors,
      errorSamples,
    };
  } finally {
    await Promise.all([...dashboards.values()].flat().map((c) => c.close()));
  }
}
