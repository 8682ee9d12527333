import { fork, type ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';
import { connectSocket, readMetrics, type Replica, sellSteadily, sleep } from '@retail/testing';
import { processCpuMs } from './cpu.js';
import { pool } from './pool.js';
import type { StormDashboardsMessage, StormDashboardsStart } from './storm-dashboards.js';

export interface StormResult {
  dashboards: number;
  /** The holding replica's SIGKILL → the last dashboard's first event sold after it, s. */
  resumedSeconds: number;
  resumed: number;
  salesDuringStorm: number;
  /** (dashboard, sale) pairs never delivered, over every sale of the run. */
  missed: number;
  duplicates: number;
  /** Half the dashboards were back after this, s. */
  medianResumedSeconds: number;
  /** The load client's CPU (the bench and its dashboard processes) from the kill until the last dashboard was back, in % of one core. */
  loadClientCpuPercent: number;
  /** The bench process's event-loop delay meanwhile, max, ms (it runs the seller; the dashboards run in DASHBOARD_PROCESSES children). */
  loadClientLagMaxMs: number;
  /** Handshakes the surviving replicas refused during the storm, by code (each costs its dashboard a backoff). */
  refusals: Record<string, number>;
  /** The yardstick: the control's plain connects/s, as many sockets on as many replicas as resumed. */
  controlConnectsPerSecond: number;
}

const STORM_DEADLINE_MS = 60_000;
const SALE_INTERVAL_MS = 200;
const GRACE_MS = 5_000;
// The dashboards run in child processes, so the load client is not one event loop for all of them.
const DASHBOARD_PROCESSES = 2;
const DASHBOARDS_SCRIPT = new URL('./storm-dashboards.ts', import.meta.url);

const socketsOn = async (replica: Replica) => (await readMetrics(replica.httpUrl))('realtime_sockets_connected{namespace="/pos"}');

/**
 * `count` dashboards behind the balancer (which pins them all to one replica), a sale every 200 ms,
 * then SIGKILL of the replica holding them: how long until every dashboard gets live events again,
 * elsewhere, and whether any sale was lost on the way.
 */
export async function measureReconnectStorm(options: {
  balancerUrl: string;
  controlConnectsPerSecond: number;
  replicas: Replica[];
  count: number;
  manager: string;
  cashier: string;
  productId: string;
}): Promise<StormResult> {
  // Per dashboard: sale id → when it first arrived (epoch ms).
  const received = Array.from({ length: options.count }, () => new Map<string, number>());
  let duplicates = 0;
  const children: ChildProcess[] = [];
  try {
    const per = Math.ceil(options.count / DASHBOARD_PROCESSES);
    await Promise.all(
      Array.from({ length: DASHBOARD_PROCESSES }, (_, k) => {
        const child = fork(DASHBOARDS_SCRIPT, { execArgv: ['--import', 'tsx', '--conditions=source'] });
        children.push(child);
        child.on('message', (message: StormDashboardsMessage) => {
          if (message.type !== 'received') return;
          for (const [i, saleId, at] of message.receipts) {
            if (received[i].has(saleId)) duplicates++;
            else received[i].set(saleId, at);
          }
        });
        const start: StormDashboardsStart = {
          url: options.balancerUrl,
          token: options.manager,
          first: k * per,
          count: Math.min(per, options.count - k * per),
        };
        child.send(start);
        return reply(child, 'ready');
      }),
    );
    const counts = await Promise.all(options.replicas.map(socketsOn));
    const holder = options.replicas[counts.indexOf(Math.max(...counts))];
    const survivors = options.replicas.filter((r) => r !== holder);
    // Sales through the survivors, so the kill interrupts none of them.
    const seller = sellSteadily(survivors[0].httpUrl, options.cashier, options.productId, SALE_INTERVAL_MS);
    await sleep(1_000);
    const killedAt = Date.now();
    const cpuAtKill = loadClientCpuMs(children);
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    holder.process.kill('SIGKILL');
    // The sale in flight at the kill may have begun before it; every later one began after.
    const firstAfterKill = seller.committed.length + 1;
    const soldAfterKill = () => seller.committed.slice(firstAfterKill);
    // When each dashboard first got a sale begun after the kill (it arrives before its HTTP answer, so looked up afterwards).
    const resumedAt = () =>
      received.flatMap((got) => {
        const times = soldAfterKill().flatMap((id) => got.get(id) ?? []);
        return times.length ? [Math.min(...times)] : [];
      });
    const deadline = killedAt + STORM_DEADLINE_MS;
    while (resumedAt().length < options.count && Date.now() < deadline) await sleep(200);
    lag.disable();
    const loadClientCpuPercent = ((loadClientCpuMs(children) - cpuAtKill) / (Date.now() - killedAt)) * 100;
    const sold = await seller.stop();
    const graceEnd = Date.now() + GRACE_MS;
    const missing = () => received.reduce((sum, got) => sum + sold.filter((id) => !got.has(id)).length, 0);
    while (missing() && Date.now() < graceEnd) await sleep(100);
    const resumed = resumedAt().sort((a, b) => a - b);
    const refusals = await handshakeRefusals(survivors);
    return {
      dashboards: options.count,
      resumedSeconds: resumed.length === options.count ? (resumed[resumed.length - 1] - killedAt) / 1000 : NaN,
      resumed: resumed.length,
      salesDuringStorm: soldAfterKill().length,
      missed: missing(),
      duplicates,
      medianResumedSeconds: resumed.length ? (resumed[Math.floor(resumed.length / 2)] - killedAt) / 1000 : NaN,
      loadClientCpuPercent,
      loadClientLagMaxMs: lag.max / 1e6,
      refusals,
      controlConnectsPerSecond: options.controlConnectsPerSecond,
    };
  } finally {
    await Promise.all(
      children.map(async (child) => {
        if (child.connected) await (child.send('close'), reply(child, 'closed'));
        child.kill();
      }),
    );
  }
}

/** The bench process's CPU and its dashboard processes', ms. */
function loadClientCpuMs(children: ChildProcess[]): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000 + children.reduce((sum, child) => sum + processCpuMs(child.pid!), 0);
}

/** Resolves on the child's next message of this type. */
function reply(child: ChildProcess, type: StormDashboardsMessage['type']): Promise<void> {
  return new Promise((done, fail) => {
    const onMessage = (message: StormDashboardsMessage) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      done();
    };
    child.on('message', onMessage);
    child.once('exit', (code) => fail(new Error(`storm dashboards exited (${code}) before '${type}'`)));
  });
}

async function handshakeRefusals(replicas: Replica[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const replica of replicas) {
    const text = await (await fetch(`${replica.httpUrl}/metrics`)).text();
    for (const [, code, n] of text.matchAll(/^realtime_handshake_refusals_total\{[^}]*code="([^"]+)"[^}]*\} (\d+)/gm)) {
      counts[code] = (counts[code] ?? 0) + Number(n);
    }
  }
  return counts;
}

/** Plain authenticated connects/s: `count` sockets spread over `wsUrls`, 100 at a time, then closed. */
export async function measurePlainConnects(wsUrls: string[], token: string, count: number): Promise<number> {
  const sockets: Socket[] = [];
  const started = performance.now();
  try {
    await pool(count, 100, async (i) => void sockets.push(await connectSocket(wsUrls[i % wsUrls.length], 'notifications', token)));
    return count / ((performance.now() - started) / 1000);
  } finally {
    sockets.forEach((s) => s.close());
  }
}
