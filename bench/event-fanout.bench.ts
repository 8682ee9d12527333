/**
 * Event fan-out benchmark: how fast and how completely `pos.sale.completed` reaches many /pos sockets
 * spread over N replicas on Redis. Starts a fresh test database and N replicas (@retail/testing), connects
 * S manager sockets round-robin across them, sells K × WATER-500 through replica A's REST API as
 * cashier1 on POS-CENTRO-1, and prints:
 *  - delivery latency per (sale, socket): envelope `occurredAt` (set as the event is built, just before
 *    the checkout commits) → receipt here, same clock; includes this process's own socket handling;
 *  - deliveries received vs expected S×K, with any missing / duplicate envelope ids;
 *  - sale HTTP latency (sell(): create cart, set items, pay, check out) and sales/s;
 *  - each replica's RSS (VmRSS) after the run.
 * It measures twice in one run, with the delivery guarantees (EVENT_STREAMS=true: outbox, relay,
 * positions) and without them (false: at most once, straight after the commit), side by side.
 * Run: npm run bench:fanout   (env: BENCH_REPLICAS=3 BENCH_SOCKETS=200 BENCH_SALES=50 BENCH_CONCURRENCY=5)
 * Needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (TEST_POSTGRES_URI / TEST_REDIS_URL; loopback only).
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'socket.io-client';
import { EVENTS } from '@retail/realtime-protocol';
import {
  QUIET_MS,
  connectSocket,
  login,
  sleep,
  type TestEnvelope,
  createTestDatabase,
  type TestDatabase,
  demoIds,
  productBySku,
  sell,
  POSTGRES_ADMIN_URI,
  probeServices,
  REDIS_TEST_URL,
  type Cluster,
  startCluster,
} from '@retail/testing';

const int = (name: string, fallback: number, max: number) => {
  const raw = process.env[name];
  const value = raw ? Number(raw) : fallback;
  if (Number.isInteger(value) && value >= 1 && value <= max) return value;
  console.error(`bench:fanout: ${name} must be an integer from 1 to ${max}, got "${raw}"`);
  process.exit(2);
};
const REPLICAS = int('BENCH_REPLICAS', 3, 8); // startCluster names replicas A…H
const SOCKETS = int('BENCH_SOCKETS', 200, 5000);
const SALES = int('BENCH_SALES', 50, 120); // the seed gives Centro 120 WATER-500
const CONCURRENCY = int('BENCH_CONCURRENCY', 5, 50);
const TIMEOUT_MS = 10 * 60_000; // the whole run (two measurements), setup included
const DELIVERY_WAIT_MS = 30_000; // for the last deliveries after the last sale, then QUIET_MS for late duplicates

/** Runs work(0…count-1), at most `limit` at a time. */
async function pool(count: number, limit: number, work: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}
const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
const rssMb = (pid?: number) => {
  try {
    return (Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024).toFixed(0);
  } catch {
    return '?';
  }
};

// Everything to clean up; setup steps are kept as promises so a timeout mid-setup still cleans up.
const state: { db?: Promise<TestDatabase>; cluster?: Promise<Cluster>; sockets: Socket[] } = { sockets: [] };

async function cleanUp() {
  state.sockets.splice(0).forEach((s) => s.close());
  await state.cluster?.then(
    (c) => c.stop(),
    () => undefined,
  );
  await state.db?.then(
    (d) => d.drop(),
    () => undefined,
  );
  state.cluster = state.db = undefined;
}

async function run(): Promise<number> {
  for (const uri of [POSTGRES_ADMIN_URI, REDIS_TEST_URL]) {
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(uri).hostname)) throw new Error(`loopback addresses only: ${uri}`);
  }
  const services = await probeServices();
  if (!services.postgres)
    throw new Error(
      `PostgreSQL unreachable at ${new URL(POSTGRES_ADMIN_URI).host}: start it (user postgres, trust auth) or set TEST_POSTGRES_URI`,
    );
  if (!services.redis) throw new Error(`Redis unreachable at ${new URL(REDIS_TEST_URL).host}: start it or set TEST_REDIS_URL`);

  const on = await measure(true);
  await cleanUp();
  const off = await measure(false);
  console.log(
    `\n${EVENTS.posSaleCompleted.name} fan-out: ${REPLICAS} replicas, ${SOCKETS} sockets, ${SALES} sales (concurrency ${CONCURRENCY})`,
  );
  console.log(`  ${''.padEnd(40)} ${'guarantees on'.padEnd(44)} guarantees off`);
  for (const [i, [name, value]] of on.rows.entries()) console.log(`  ${name.padEnd(40)} ${value.padEnd(44)} ${off.rows[i][1]}`);
  const problems = [...on.problems.map((p) => `on: ${p}`), ...off.problems.map((p) => `off: ${p}`)];
  for (const line of problems.slice(0, 20)) console.error(`  ! ${line}`);
  if (problems.length > 20) console.error(`  ! … ${problems.length - 20} more`);
  return problems.length ? 1 : 0;
}

/** One cluster, sockets and sales, with the delivery guarantees on or off. */
async function measure(streams: boolean): Promise<{ rows: Array<[string, string]>; problems: string[] }> {
  state.db = createTestDatabase();
  state.cluster = startCluster({
    replicas: REPLICAS,
    databaseUri: (await state.db).uri,
    redisUrl: REDIS_TEST_URL,
    // Every socket is the manager's: the per-user cap must make room for them all.
    env: { EVENT_STREAMS: String(streams), SOCKETS_PER_USER_MAX: String(SOCKETS) },
  });
  const { replicas } = await state.cluster;
  const a = replicas[0].httpUrl;
  const ids = await demoIds(a);
  const manager = await login(a, 'manager@demo.local');
  const cashier = await login(a, 'cashier1@demo.local', { deviceId: ids.centroDevice });
  const water = await productBySku(a, cashier, 'WATER-500');

  const latencies: number[] = [];
  const byEnvelope = new Map<string, { saleId: string; perSocket: number[] }>();
  let delivered = 0; // distinct (envelope, socket) pairs
  await pool(SOCKETS, 50, async (i) => {
    const socket = await connectSocket(replicas[i % REPLICAS].wsUrl, 'pos', manager);
    state.sockets.push(socket);
    socket.on(EVENTS.posSaleCompleted.name, (e: TestEnvelope) => {
      const receivedAt = Date.now();
      let entry = byEnvelope.get(e.id);
      if (!entry) byEnvelope.set(e.id, (entry = { saleId: e.data.saleId, perSocket: new Array(SOCKETS).fill(0) }));
      if (entry.perSocket[i]++ === 0) {
        delivered++;
        latencies.push(receivedAt - Date.parse(e.occurredAt));
      }
    });
  });
  await sleep(500); // let the last connections settle into their rooms

  const saleMs: number[] = [];
  const saleIds = new Set<string>();
  const salesStart = performance.now();
  await pool(SALES, CONCURRENCY, async () => {
    const t0 = performance.now();
    const res = await sell(a, cashier, [{ productId: water.id, quantity: 1 }]);
    if (res.status !== 201) throw new Error(`checkout failed: ${res.status} ${JSON.stringify(res.body)}`);
    saleMs.push(performance.now() - t0);
    saleIds.add(res.body.id);
  });
  const salesSeconds = (performance.now() - salesStart) / 1000;
  const expected = SOCKETS * SALES;
  const deadline = Date.now() + DELIVERY_WAIT_MS;
  while (delivered < expected && Date.now() < deadline) await sleep(50);
  await sleep(QUIET_MS);

  const problems: string[] = [];
  const envelopeSales = new Set([...byEnvelope.values()].map((e) => e.saleId));
  for (const saleId of saleIds) if (!envelopeSales.has(saleId)) problems.push(`sale ${saleId}: its envelope reached no socket`);
  let duplicates = 0;
  for (const [id, { saleId, perSocket }] of byEnvelope) {
    const missing = perSocket.filter((n) => n === 0).length;
    const extra = perSocket.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    duplicates += extra;
    if (!saleIds.has(saleId)) problems.push(`envelope ${id}: sale ${saleId} is not one of ours`);
    if (missing) problems.push(`envelope ${id}: missing on ${missing} socket(s)`);
    if (extra) problems.push(`envelope ${id}: ${extra} duplicate(s)`);
  }
  if (byEnvelope.size !== envelopeSales.size) problems.push(`${byEnvelope.size} envelope ids for ${envelopeSales.size} sales`);

  latencies.sort((x, y) => x - y);
  saleMs.sort((x, y) => x - y);
  const ms = (v: number) => v.toFixed(0);
  const rows: Array<[string, string]> = [
    [
      'delivery latency p50 / p95 / p99 / max',
      `${[50, 95, 99].map((p) => ms(pct(latencies, p))).join(' / ')} / ${ms(latencies.at(-1) ?? NaN)} ms`,
    ],
    ['deliveries received / expected', `${delivered} / ${expected} (missing ${expected - delivered}, duplicates ${duplicates})`],
    ['sale HTTP p50 / p95 (4 calls)', `${ms(pct(saleMs, 50))} / ${ms(pct(saleMs, 95))} ms`],
    ['sales/s', `${(SALES / salesSeconds).toFixed(1)} (${SALES} in ${salesSeconds.toFixed(2)} s)`],
    ['replica RSS after run', replicas.map((r) => `${r.name.slice(-1)} ${rssMb(r.process.pid)}`).join(', ') + ' MB'],
  ];
  if (delivered !== expected) problems.push(`${expected - delivered} deliveries missing`);
  return { rows, problems };
}

let abort!: (error: Error) => void;
const aborted = new Promise<never>((_, reject) => (abort = reject));
aborted.catch(() => undefined);
const timer = setTimeout(() => abort(new Error(`gave up after ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
process.once('SIGINT', () => abort(new Error('interrupted')));
let code = 1;
try {
  code = await Promise.race([run(), aborted]);
} catch (error) {
  console.error(`bench:fanout failed: ${error instanceof Error ? error.message : error}`);
} finally {
  clearTimeout(timer);
  setTimeout(() => process.exit(1), 30_000).unref(); // cleanup is bounded too
  await cleanUp();
}
process.exit(code); // replicas stopped, database dropped; startReplica's exit hook SIGKILLs any straggler
