import { CHAIN_DEVICE_KEY, CHAIN_PASSWORD, chainNames, percentiles, type Percentiles } from '@retail/loadgen';
import { api, login, productBySku, tillSale } from '@retail/testing';
import type { CpuUse } from './cpu.js';

export interface SyncThroughput {
  uploaders: number;
  batchSize: number;
  batches: number;
  /** Sales the uploads stored (accepted). */
  sales: number;
  seconds: number;
  salesPerSecond: number;
  /** One upload of `batchSize` sales, request to answer, ms. */
  batchMs: Percentiles;
  cpu: CpuUse;
}

interface Meter {
  start(): void;
  stop(): void;
  readonly use: CpuUse;
}

/**
 * Tills catching up after an outage: `uploaders` tills (one per store, spread over the replicas)
 * each send batches of `batchSize` sales to POST /pos/sales/sync back to back for `seconds`.
 * Every sale of every batch must be accepted.
 */
export async function measureSyncUploads(options: {
  apiUrls: string[];
  chain: string;
  uploaders: number;
  batchSize: number;
  seconds: number;
  meter: Meter;
}): Promise<SyncThroughput> {
  const names = chainNames(options.chain);
  const [first] = options.apiUrls;
  const admin = await login(first, names.admin, { password: CHAIN_PASSWORD });
  const stores = ((await api(first, 'GET', '/workspaces', admin)).body as Array<{ id: string; name: string }>)
    .filter((w) => /^Store \d+$/.test(w.name))
    .sort((a, b) => a.name.localeCompare(b.name));
  const tills: Array<{ apiUrl: string; token: string }> = [];
  for (let i = 0; i < options.uploaders; i++) {
    const store = stores[i % stores.length];
    const [device] = (await api(first, 'GET', `/workspaces/${store.id}/devices`, admin)).body as Array<{ id: string }>;
    const apiUrl = options.apiUrls[i % options.apiUrls.length];
    tills.push({
      apiUrl,
      token: await login(apiUrl, names.cashier(i + 1), { password: CHAIN_PASSWORD, deviceId: device.id, deviceKey: CHAIN_DEVICE_KEY }),
    });
  }
  const products = await Promise.all(names.skus.map((sku) => productBySku(first, tills[0].token, sku)));
  const lines = products.map((p, i) => ({ productId: p.id, quantity: i + 1, unitPrice: p.price }));

  const batchMs: number[] = [];
  let sales = 0;
  options.meter.start();
  const start = performance.now();
  const deadline = start + options.seconds * 1000;
  await Promise.all(
    tills.map(async (till) => {
      while (performance.now() < deadline) {
        const batch = Array.from({ length: options.batchSize }, () => tillSale(lines));
        const sent = performance.now();
        const res = await api(till.apiUrl, 'POST', '/pos/sales/sync', till.token, { sales: batch });
        batchMs.push(performance.now() - sent);
        const accepted = res.status === 200 ? res.body.results.filter((r: { status: string }) => r.status === 'accepted').length : 0;
        if (accepted !== batch.length) throw new Error(`sync: ${res.status}, ${accepted} of ${batch.length} accepted`);
        sales += accepted;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  options.meter.stop();
  return {
    uploaders: tills.length,
    batchSize: options.batchSize,
    batches: batchMs.length,
    sales,
    seconds,
    salesPerSecond: sales / seconds,
    batchMs: percentiles(batchMs),
    cpu: options.meter.use,
  };
}
