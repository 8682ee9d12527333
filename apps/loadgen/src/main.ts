/**
 * npm run loadgen -- [options]: S stores × D tills selling whole sales at a rate, K dashboards per
 * store watching them live, one progress line a second and a summary at the end. Exits 1 when a
 * delivery was missed or duplicated, or a sale failed.
 */
import { parseArgs } from 'node:util';
import type { LoadSummary, LoadTick } from './load-run.js';
import { formatMs } from './stats.js';

const USAGE = `npm run loadgen -- [options]
  --api URL         a replica's REST origin; repeat for each replica (default http://127.0.0.1:3000)
  --ws URL          a replica's Socket.IO origin, same order (default: WEBSOCKET_PORT 3001 beside each --api)
  --chain NAME      the synthetic chain (default "Loadgen")
  --stores N        stores (default 20)
  --devices N       POS devices (tills) per store (default 2)
  --dashboards N    dashboard sockets per store (default 2)
  --flow F          cart: each sale is four calls (cart, items, payment, checkout); till: one call, POST /pos/sales (default cart)
  --rate N          whole sales per second across the chain (default 20)
  --duration S      seconds of selling (default 30)
  --max-sales N     stop after this many sales (default: no limit)
  --grace S         seconds a late delivery may still arrive before it is missed (default 5)
  --streams-off     the server runs with EVENT_STREAMS=false: plain sockets instead of the client library
  --setup           first create the chain in DATABASE_URI (or --database-uri): the loadgen's own fixture
  --database-uri U  PostgreSQL for --setup`;

const { values } = parseArgs({
  options: {
    api: { type: 'string', multiple: true },
    ws: { type: 'string', multiple: true },
    chain: { type: 'string', default: 'Loadgen' },
    stores: { type: 'string', default: '20' },
    devices: { type: 'string', default: '2' },
    dashboards: { type: 'string', default: '2' },
    flow: { type: 'string', default: 'cart' },
    rate: { type: 'string', default: '20' },
    duration: { type: 'string', default: '30' },
    'max-sales': { type: 'string' },
    grace: { type: 'string', default: '5' },
    setup: { type: 'boolean', default: false },
    'streams-off': { type: 'boolean', default: false },
    'database-uri': { type: 'string', default: process.env.DATABASE_URI },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const positive = (name: string, raw: string | undefined, max: number) => {
  const value = Number(raw);
  if (Number.isFinite(value) && value > 0 && value <= max) return value;
  console.error(`loadgen: --${name} must be a number above 0 and at most ${max}, got "${raw}"\n\n${USAGE}`);
  process.exit(2);
};
const apiUrls = values.api ?? ['http://127.0.0.1:3000'];
const wsUrls = values.ws ?? apiUrls.map((u) => Object.assign(new URL(u), { port: '3001' }).origin);
if (wsUrls.length !== apiUrls.length) {
  console.error('loadgen: give one --ws per --api');
  process.exit(2);
}
if (values.flow !== 'cart' && values.flow !== 'till') {
  console.error(`loadgen: --flow must be cart or till, got "${values.flow}"\n\n${USAGE}`);
  process.exit(2);
}
const flow = values.flow;
const stores = positive('stores', values.stores, 1000);
const devices = positive('devices', values.devices, 50);

// The product's config module validates the whole environment as it is imported (a DATABASE_URI
// demands a JWT_SECRET): the load simulator is a client, so it keeps the URI to itself and loads
// the engine only then.
delete process.env.DATABASE_URI;
const { setupChain } = await import('./chain-fixture.js');
const { runLoad } = await import('./load-run.js');

if (values.setup) {
  if (!values['database-uri']) {
    console.error('loadgen: --setup needs DATABASE_URI or --database-uri');
    process.exit(2);
  }
  await setupChain({ databaseUri: values['database-uri'], chain: values.chain, stores, devices });
  console.log(`chain "${values.chain}": ${stores} stores × ${devices} devices ready`);
}

const progress = (t: LoadTick) =>
  console.log(
    `${String(t.second).padStart(4)}s  connected ${t.tills} tills ${t.dashboards} dashboards  ` +
      `sent ${t.started}/s  done ${t.completed}/s  received ${t.delivered}/s  errors ${t.errors}` +
      (t.backlog ? `  backlog ${t.backlog}` : ''),
  );

const summary = (s: LoadSummary) =>
  [
    `\n${s.stores} stores, ${s.tills} tills, ${s.dashboards} dashboards, offered ${s.offeredRate} ${s.flow} sales/s`,
    `  sales                      ${s.sales} in ${s.sellingSeconds.toFixed(1)} s = ${s.salesPerSecond.toFixed(1)}/s`,
    `  sale (${s.flow === 'cart' ? '4 calls' : '1 call '}) p50/95/99   ${formatMs(s.saleMs)}`,
    ...(s.flow === 'cart' ? [`  checkout p50/95/99         ${formatMs(s.checkoutMs)}`] : []),
    `  sale→dashboard p50/95/99   ${formatMs(s.deliveryMs)}`,
    `  delivered                  ${s.expectedDeliveries - s.missed} of ${s.expectedDeliveries} (${s.deliveredPerSecond.toFixed(0)}/s)`,
    `  missed / duplicates        ${s.missed} / ${s.duplicates}`,
    `  errors                     ${s.errors}${s.errorSamples.map((e) => `\n    ${e}`).join('')}`,
  ].join('\n');

const result = await runLoad({
  apiUrls,
  wsUrls,
  chain: values.chain,
  flow,
  stores,
  devicesPerStore: devices,
  dashboardsPerStore: positive('dashboards', values.dashboards, 1000),
  rate: positive('rate', values.rate, 10_000),
  durationMs: positive('duration', values.duration, 3600) * 1000,
  maxSales: values['max-sales'] ? positive('max-sales', values['max-sales'], 10_000_000) : Infinity,
  graceMs: positive('grace', values.grace, 600) * 1000,
  streamsOff: values['streams-off'],
  onTick: progress,
});
console.log(summary(result));
process.exit(result.missed || result.duplicates || result.errors ? 1 : 0);
