/**
 * npm run bench: the product against a hand-rolled Socket.IO + Redis adapter stack (bench/control),
 * in one run on one machine, with ratios; plus PostgreSQL's own ceiling for a checkout (pgbench).
 * Starts PostgreSQL and Redis privately when the shared ones are not running. Writes
 * bench/reports/latest.json and latest.md and prints the table. `--smoke` is a small, short run
 * for checking the tooling; `--help` lists the sizes (each also a BENCH_* variable).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad, setupChain, CHAIN_DEVICE_KEY, CHAIN_PASSWORD, chainNames, type LoadSummary } from '@retail/loadgen';
import {
  api,
  type Cluster,
  createTestDatabase,
  login,
  memoryProbeEnv,
  POSTGRES_ADMIN_URI,
  readMetrics,
  probeServices,
  productBySku,
  REDIS_TEST_URL,
  startCluster,
  startPrivatePostgres,
  startPrivateRedis,
  startPrivateRedisCluster,
  type PrivateRedisCluster,
  type TestDatabase,
} from '@retail/testing';
import { startControl, type ControlCluster } from './control/start-control.js';
import { connectFanoutSockets, type FanoutStep, type FanoutTarget, measureFanoutStep } from './lib/fanout.js';
import { measureSocketMemory, probePort, type SocketMemory } from './lib/memory.js';
import { cpuMeter } from './lib/cpu.js';
import { measurePgbench, type PgbenchResult } from './lib/pgbench.js';
import { measurePresence, type PresenceResult } from './lib/presence.js';
import { writeReport, type BenchReport, type MeteredLoad } from './lib/report.js';
import { measurePlainConnects, measureReconnectStorm, type StormResult } from './lib/storm.js';
import { measureSyncUploads, type SyncThroughput } from './lib/sync-uploads.js';
import { startTcpBalancer, type TcpBalancer } from './lib/tcp-balancer.js';

const SIZES = {
  'fanout-sockets': { env: 'BENCH_FANOUT_SOCKETS', full: '300', smoke: '30', help: 'sockets the fan-out reaches, over 3 replicas' },
  'fanout-rates': { env: 'BENCH_FANOUT_RATES', full: '50,100,200,400,800', smoke: '20,40', help: 'publishes/s, ascending' },
  'step-seconds': { env: 'BENCH_STEP_SECONDS', full: '5', smoke: '2', help: 'seconds per fan-out rate' },
  'memory-sockets': { env: 'BENCH_MEMORY_SOCKETS', full: '5000', smoke: '200', help: 'idle sockets on one replica' },
  stores: { env: 'BENCH_STORES', full: '20', smoke: '4', help: 'stores of the checkout chain' },
  devices: { env: 'BENCH_DEVICES', full: '6', smoke: '2', help: 'tills per store' },
  dashboards: { env: 'BENCH_DASHBOARDS', full: '2', smoke: '1', help: 'dashboards per store during checkout' },
  'checkout-rates': { env: 'BENCH_CHECKOUT_RATES', full: '100,200,300', smoke: '5,10', help: 'whole sales/s offered, ascending' },
  'checkout-seconds': { env: 'BENCH_CHECKOUT_SECONDS', full: '10', smoke: '3', help: 'seconds per checkout rate' },
  'till-rates': { env: 'BENCH_TILL_RATES', full: '100,200,400,800', smoke: '5,10', help: 'one-call sales/s offered, ascending' },
  'sync-uploaders': { env: 'BENCH_SYNC_UPLOADERS', full: '3', smoke: '1', help: 'tills uploading batches of 500 at once' },
  'sync-seconds': { env: 'BENCH_SYNC_SECONDS', full: '10', smoke: '3', help: 'seconds of batch uploads' },
  'presence-tills': { env: 'BENCH_PRESENCE_TILLS', full: '2000', smoke: '100', help: 'tills online at once, over 3 replicas' },
  'presence-idle-seconds': { env: 'BENCH_PRESENCE_IDLE_SECONDS', full: '20', smoke: '5', help: 'seconds the tills sit online' },
  'storm-dashboards': { env: 'BENCH_STORM_DASHBOARDS', full: '2000', smoke: '100', help: 'dashboards on the replica that is killed' },
  'pgbench-seconds': { env: 'BENCH_PGBENCH_SECONDS', full: '10', smoke: '2', help: 'seconds of pgbench' },
} as const;
type Size = keyof typeof SIZES;
const REPLICAS = 3;
const LOAD_CAPS = {
  SOCKETS_PER_USER_MAX: '100000',
  RATE_LIMIT_USER_PER_SECOND: '0',
  RATE_LIMIT_COMPANY_PER_SECOND: '0',
  // The reconnect storm resumes 2,000 dashboards of one user at once.
  REPLAY_EVENTS_PER_USER_PER_MINUTE: '0',
};
const CPU_PROFILE = resolve('bench/probe/cpu-profile.mjs');
const RUN_DEADLINE_MS = 15 * 60_000;

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
    ...(Object.fromEntries(Object.keys(SIZES).map((name) => [name, { type: 'string' }])) as Record<Size, { type: 'string' }>),
  },
});
if (values.help) {
  console.log('npm run bench -- [--smoke] [--<size> value …]');
  for (const [name, s] of Object.entries(SIZES))
    console.log(`  --${name.padEnd(17)} ${s.env.padEnd(24)} ${s.help} (${s.full}; smoke ${s.smoke})`);
  process.exit(0);
}
const raw = (name: Size) => values[name] ?? process.env[SIZES[name].env] ?? SIZES[name][values.smoke ? 'smoke' : 'full'];
const numbers = (name: Size) => {
  const list = raw(name).split(',').map(Number);
  if (list.every((n) => Number.isFinite(n) && n > 0)) return list;
  console.error(`bench: --${name} (${SIZES[name].env}) must be positive numbers, got "${raw(name)}"`);
  process.exit(2);
};
const size = (name: Size) => numbers(name)[0];

// What a phase started (stopped when it ends) and the private services (stopped last), each in reverse order.
type Cleanup = () => Promise<unknown>;
const cleanups: Cleanup[] = [];
const serviceCleanups: Cleanup[] = [];
const started = <T>(value: T, stop: (v: T) => Promise<unknown>, list = cleanups) => (list.unshift(() => stop(value)), value);
const endPhase = async () => {
  for (const stop of cleanups.splice(0)) await stop();
};
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

async function services() {
  const up = await probeServices();
  const postgres = up.postgres ? POSTGRES_ADMIN_URI : started(await startPrivatePostgres(), (p) => p.destroy(), serviceCleanups).adminUri;
  const redis = up.redis
    ? REDIS_TEST_URL
    : await startPrivateRedis().then(async (r) => (await r.start(), started(r, (x) => x.kill(), serviceCleanups).url));
  if (!up.postgres || !up.redis)
    log(`started private ${[!up.postgres && 'PostgreSQL', !up.redis && 'Redis'].filter(Boolean).join(' and ')}`);
  return { postgres, redis };
}

const WARM_UP_SECONDS = 3;

/** BENCH_CPU_PROF_DIR=dir: every product replica writes a CPU profile there when it stops (bench/probe/cpu-profile.mjs). */
const withProfile = (env: Record<string, string>) => {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir ? { ...env, BENCH_CPU_PROF_DIR: dir, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --import=${CPU_PROFILE}`.trim() } : env;
};

/** One product cluster: database with demo data and the loadgen chain, 3 replicas, the last one probed for memory. */
/** Where a product cluster's Redis is: one server (`REDIS_URL`), or a Redis Cluster with the sharded adapter. */
type RedisTarget = { url: string } | { clusterNodes: string[] };

async function productCluster(postgres: string, redis: RedisTarget, streams: boolean) {
  const db = started(await createTestDatabase({ adminUri: postgres }), (d: TestDatabase) => d.drop());
  await setupChain({ databaseUri: db.uri, chain: 'Bench', stores: size('stores'), devices: size('devices') });
  const probe = await probePort();
  const cluster = started(
    await startCluster({
      replicas: REPLICAS,
      databaseUri: db.uri,
      redisUrl: 'url' in redis ? redis.url : undefined,
      // The bench connects thousands of sockets with one user's token and publishes hundreds of
      // requests a second as one user and one company: the caps must make room for the load.
      env: {
        EVENT_STREAMS: String(streams),
        ...LOAD_CAPS,
        ...('clusterNodes' in redis ? { REDIS_CLUSTER_NODES: redis.clusterNodes.join(','), REDIS_ADAPTER: 'sharded' } : {}),
      },
      replicaEnv: (i) => withProfile(i === REPLICAS - 1 ? memoryProbeEnv(probe) : {}),
    }),
    (c: Cluster) => c.stop(),
  );
  const a = cluster.replicas[0].httpUrl;
  const admin = await login(a, 'admin@demo.local');
  const companyId = (await api(a, 'GET', '/auth/me', admin)).body.companyId as string;
  const target: FanoutTarget = {
    wsUrls: cluster.replicas.map((r) => r.wsUrl),
    token: admin,
    publish: async (title) => {
      // INFO: a plain message. Alerts (ALERT, WARNING) have a life, and past 10,000 open per company
      // new ones count on one overflow alert, which thousands of fan-out publishes would reach.
      const res = await api(a, 'POST', '/notifications', admin, { title, message: 'bench fan-out', level: 'INFO' });
      if (res.status !== 201) throw new Error(`publish: ${res.status}`);
    },
  };
  return { db, cluster, target, probe, companyId };
}

/** Fan-out at each rate, until a rate is no longer sustained. */
async function fanout(label: string, target: FanoutTarget) {
  const audience = await connectFanoutSockets(target, size('fanout-sockets'));
  const steps: FanoutStep[] = [];
  try {
    // Unrecorded: the first seconds of a fresh process (JIT, pools, caches) are not its steady state.
    await measureFanoutStep(target, audience, { id: `${label}-warm-up`, rate: numbers('fanout-rates')[0], seconds: WARM_UP_SECONDS });
    for (const rate of numbers('fanout-rates')) {
      const step = await measureFanoutStep(target, audience, { id: `${label}-${rate}`, rate, seconds: size('step-seconds') });
      steps.push(step);
      log(
        `fan-out ${label} ${rate}/s: p50/95/99 ${[step.latency.p50, step.latency.p95, step.latency.p99].map((v) => v.toFixed(1)).join('/')} ms, missing ${step.missing}`,
      );
      if (!step.sustained) break;
    }
  } finally {
    audience.sockets.forEach((s) => s.close());
  }
  return steps;
}

/** Whole sales at rising rates, by the cart (four calls) or at the till (one call), with the server's CPU while selling. */
async function checkout(label: string, cluster: Cluster, streams: boolean, flow: 'cart' | 'till' = 'cart') {
  const results: MeteredLoad[] = [];
  const rates = numbers(flow === 'cart' ? 'checkout-rates' : 'till-rates');
  const statementsSoFar = async () =>
    (await Promise.all(cluster.replicas.map((r) => readMetrics(r.httpUrl)))).reduce(
      (sum, metric) => sum + metric('db_statements_total{kind="work"}'),
      0,
    );
  const load = async (rate: number, durationMs: number): Promise<MeteredLoad> => {
    const meter = cpuMeter();
    // The statements of the request pools while selling (read as it starts and stops, logins left out).
    const statements: Array<Promise<number>> = [];
    const selling = {
      start: () => void (meter.start(), statements.push(statementsSoFar())),
      stop: () => void (meter.stop(), statements.push(statementsSoFar())),
    };
    const summary: LoadSummary = await runLoad({
      apiUrls: cluster.replicas.map((r) => r.httpUrl),
      wsUrls: cluster.replicas.map((r) => r.wsUrl),
      chain: 'Bench',
      flow,
      stores: size('stores'),
      devicesPerStore: size('devices'),
      dashboardsPerStore: size('dashboards'),
      rate,
      durationMs,
      maxSales: Infinity,
      graceMs: 5_000,
      streamsOff: !streams,
      onSelling: selling,
    });
    const [before, after] = await Promise.all(statements);
    return { ...summary, cpu: meter.use, statementsPerSale: (after - before) / summary.sales };
  };
  // Unrecorded, as for the fan-out: warm the tills' logins, the pools and the JIT first.
  await load(rates[0] / 4, WARM_UP_SECONDS * 1000);
  for (const rate of rates) {
    const summary = await load(rate, size('checkout-seconds') * 1000);
    results.push(summary);
    log(
      `${flow} sales ${label} offered ${rate}/s: ${summary.salesPerSecond.toFixed(1)}/s, sale→dashboard p99 ${summary.deliveryMs.p99.toFixed(1)} ms, ` +
        `server CPU ${(summary.cpu.serverMs / summary.sales).toFixed(1)} ms/sale, missed ${summary.missed}, errors ${summary.errors}`,
    );
    if (summary.salesPerSecond < rate * 0.9) break; // saturated: a higher offer only queues
  }
  return results;
}

/** Tills catching up after an outage: batches of 500 back to back, one till per replica. */
async function syncUploads(cluster: Cluster): Promise<SyncThroughput> {
  const result = await measureSyncUploads({
    apiUrls: cluster.replicas.map((r) => r.httpUrl),
    chain: 'Bench',
    uploaders: size('sync-uploaders'),
    batchSize: 500,
    seconds: size('sync-seconds'),
    meter: cpuMeter(),
  });
  log(
    `sync: ${result.salesPerSecond.toFixed(0)} sales/s in batches of ${result.batchSize} (${result.uploaders} tills), ` +
      `batch p50/p99 ${result.batchMs.p50.toFixed(0)}/${result.batchMs.p99.toFixed(0)} ms, server CPU ${(result.cpu.serverMs / result.sales).toFixed(2)} ms/sale`,
  );
  return result;
}

/** Tills online at once over the replicas: their online events, and what presence costs Redis. */
export async function tillPresence(databaseUri: string, redisUrl: string, cluster: Cluster, admin: string): Promise<PresenceResult> {
  const result = await measurePresence({
    apiUrl: cluster.replicas[0].httpUrl,
    wsUrls: cluster.replicas.map((r) => r.wsUrl),
    databaseUri,
    redisUrl,
    redisPrefix: cluster.redisPrefix,
    admin,
    tills: size('presence-tills'),
    idleSeconds: size('presence-idle-seconds'),
  });
  log(
    `presence: ${result.onlineEvents}/${result.tills} online events in ${result.connectSeconds.toFixed(1)} s, ${result.commandsPerConnect.toFixed(2)} presence commands per connect, ` +
      `idle ${result.idlePresenceCommandsPerSecond.toFixed(1)} presence commands/s (${result.idleCommandsPerSecond.toFixed(0)} in all), ${result.redisBytesPerTill.toFixed(0)} bytes of Redis per till`,
  );
  return result;
}

async function storm(cluster: Cluster, controlConnectsPerSecond: number): Promise<StormResult> {
  const balancer = started(await startTcpBalancer(cluster.replicas.map((r) => r.wsUrl)), (b: TcpBalancer) => b.stop());
  const names = chainNames('Bench');
  const a = cluster.replicas[0].httpUrl;
  const admin = await login(a, names.admin, { password: CHAIN_PASSWORD });
  const store = ((await api(a, 'GET', '/workspaces', admin)).body as Array<{ id: string; name: string }>).find(
    (w) => w.name === names.store(1),
  )!;
  const [device] = (await api(a, 'GET', `/workspaces/${store.id}/devices`, admin)).body as Array<{ id: string }>;
  const cashier = await login(a, names.cashier(1), { password: CHAIN_PASSWORD, deviceId: device.id, deviceKey: CHAIN_DEVICE_KEY });
  const product = await productBySku(a, cashier, names.skus[0]);
  return measureReconnectStorm({
    balancerUrl: balancer.url,
    controlConnectsPerSecond,
    replicas: cluster.replicas,
    count: size('storm-dashboards'),
    manager: await login(a, names.manager(1), { password: CHAIN_PASSWORD }),
    cashier,
    productId: product.id,
  });
}

async function run(): Promise<BenchReport> {
  const startedAt = Date.now();
  const { postgres, redis } = await services();

  log('starting the product (guarantees on) and the control, 3 replicas each');
  const on = await productCluster(postgres, { url: redis }, true);
  const controlProbe = await probePort();
  const control = started(
    await startControl(REPLICAS, redis, (i) => (i === REPLICAS - 1 ? memoryProbeEnv(controlProbe) : {})),
    (c: ControlCluster) => c.stop(),
  );
  const controlTarget: FanoutTarget = {
    wsUrls: control.replicas.map((r) => r.url),
    token: on.target.token,
    publish: async (title) => {
      const res = await fetch(`${control.replicas[0].url}/publish`, {
        method: 'POST',
        body: JSON.stringify({ companyId: on.companyId, title }),
      });
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`publish: ${res.status}`);
    },
  };

  const fanoutProduct = await fanout('product', on.target);
  const fanoutControl = await fanout('control', controlTarget);
  log('memory per idle socket');
  const memoryProduct: SocketMemory = await measureSocketMemory(
    on.probe,
    on.cluster.replicas[REPLICAS - 1].wsUrl,
    on.target.token,
    size('memory-sockets'),
  );
  const memoryControl: SocketMemory = await measureSocketMemory(
    controlProbe,
    control.replicas[REPLICAS - 1].url,
    on.target.token,
    size('memory-sockets'),
  );
  const checkoutOn = await checkout('on', on.cluster, true);
  const tillOn = await checkout('on', on.cluster, true, 'till');
  const syncOn = await syncUploads(on.cluster);
  const presence = await tillPresence(on.db.uri, redis, on.cluster, on.target.token);
  log("reconnect storm: the control's plain connects first, on the two replicas a storm lands on");
  const controlConnects = await measurePlainConnects(
    control.replicas.slice(1).map((r) => r.url),
    on.target.token,
    size('storm-dashboards'),
  );
  const stormResult = await storm(on.cluster, controlConnects);
  log(
    `storm: ${stormResult.resumed}/${stormResult.dashboards} resumed in ${stormResult.resumedSeconds.toFixed(2)} s, missed ${stormResult.missed}; control ${controlConnects.toFixed(0)} connects/s`,
  );
  await endPhase(); // the control and the first cluster

  log('starting the product with the guarantees off (EVENT_STREAMS=false)');
  const off = await productCluster(postgres, { url: redis }, false);
  const fanoutOff = await fanout('product-off', off.target);
  const checkoutOff = await checkout('off', off.cluster, false);
  await endPhase();

  log('starting the product on a 3-node Redis Cluster with the sharded adapter (REDIS_ADAPTER=sharded)');
  const redisCluster = started(await startPrivateRedisCluster(3), (r: PrivateRedisCluster) => r.stop());
  const sharded = await productCluster(postgres, { clusterNodes: redisCluster.nodes }, true);
  const fanoutSharded = await fanout('product-sharded', sharded.target);
  await endPhase();

  log('pgbench');
  const pgbench: PgbenchResult = await measurePgbench(postgres, 8, size('pgbench-seconds'));
  return {
    smoke: values.smoke,
    sizes: Object.fromEntries(Object.keys(SIZES).map((name) => [name, raw(name as Size)])),
    fanout: { product: fanoutProduct, control: fanoutControl, productGuaranteesOff: fanoutOff, productSharded: fanoutSharded },
    memory: { product: memoryProduct, control: memoryControl },
    checkout: { guaranteesOn: checkoutOn, guaranteesOff: checkoutOff, pgbench },
    tillSales: { oneCall: tillOn, sync: syncOn },
    storm: stormResult,
    presence,
    durationSeconds: (Date.now() - startedAt) / 1000,
  };
}

let abort!: (error: Error) => void;
const aborted = new Promise<never>((_, reject) => (abort = reject));
aborted.catch(() => undefined);
const timer = setTimeout(() => abort(new Error(`gave up after ${RUN_DEADLINE_MS / 60_000} min`)), RUN_DEADLINE_MS);
process.once('SIGINT', () => abort(new Error('interrupted')));
let code = 1;
try {
  const report = await Promise.race([run(), aborted]);
  console.log(`\n${writeReport(report)}`);
  code = 0;
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
} finally {
  clearTimeout(timer);
  setTimeout(() => process.exit(1), 30_000).unref(); // cleanup is bounded too
  for (const stop of [...cleanups.splice(0), ...serviceCleanups.splice(0)]) await stop().catch(() => undefined);
}
process.exit(code);
