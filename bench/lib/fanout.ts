import type { Socket } from 'socket.io-client';
import { percentiles, type Percentiles } from '@retail/loadgen';
import { EVENTS } from '@retail/realtime-protocol';
import { connectSocket, sleep } from '@retail/testing';
import { pool } from './pool.js';

/** A stack to measure: where its sockets connect, with which token, and how one event is published. */
export interface FanoutTarget {
  wsUrls: string[];
  token: string;
  /** Publishes one company-wide alert titled `title`, through one replica. */
  publish(title: string): Promise<void>;
}

export interface FanoutStep {
  rate: number;
  published: number;
  /** Publish request sent → receipt on a socket, ms, over every (event, socket). */
  latency: Percentiles;
  /** The publish request alone, sent → answered, ms. */
  publishMs: Percentiles;
  missing: number;
  publishErrors: number;
  /** p99 under 100 ms, nothing missing, and the rate was kept. */
  sustained: boolean;
}

const SATURATION_P99_MS = 100;
const DELIVERY_WAIT_MS = 5_000;
const MAX_IN_FLIGHT = 500;

/** Sockets listening for alerts; `listen` sets who hears their receipts (one step at a time). */
export interface FanoutSockets {
  sockets: Socket[];
  listen(handler: (title: string) => void): void;
}

/** Sockets on /notifications spread round-robin over the target's replicas. */
export async function connectFanoutSockets(target: FanoutTarget, count: number): Promise<FanoutSockets> {
  const sockets: Socket[] = [];
  let handler = (_title: string) => undefined as void;
  await pool(count, 50, async (i) => {
    const socket = await connectSocket(target.wsUrls[i % target.wsUrls.length], 'notifications', target.token);
    socket.on(EVENTS.systemInfo.name, (envelope: { data: { title: string } }) => handler(envelope.data.title));
    sockets.push(socket);
  });
  return { sockets, listen: (next) => (handler = next) };
}

/** Publishes at `rate` for `seconds` (open loop) and measures delivery to every socket. */
export async function measureFanoutStep(
  target: FanoutTarget,
  audience: FanoutSockets,
  step: { id: string; rate: number; seconds: number },
): Promise<FanoutStep> {
  const sentAt = new Map<string, number>();
  const received = new Map<string, number>();
  const latencies: number[] = [];
  const publishMs: number[] = [];
  audience.listen((title) => {
    const sent = sentAt.get(title);
    if (sent === undefined) return; // another step's straggler
    latencies.push(performance.now() - sent);
    received.set(title, (received.get(title) ?? 0) + 1);
  });
  const total = Math.round(step.rate * step.seconds);
  const inFlight = new Set<Promise<void>>();
  let publishErrors = 0;
  const start = performance.now();
  for (let seq = 0; seq < total;) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * step.rate) + 1);
    for (; seq < due && inFlight.size < MAX_IN_FLIGHT; seq++) {
      const title = `bench ${step.id} #${seq}`;
      const sent = performance.now();
      sentAt.set(title, sent);
      const sending = target
        .publish(title)
        .then(
          () => void publishMs.push(performance.now() - sent),
          () => void publishErrors++,
        )
        .finally(() => inFlight.delete(sending));
      inFlight.add(sending);
    }
    await sleep(1);
  }
  await Promise.all(inFlight);
  const keptRate = total / ((performance.now() - start) / 1000) >= step.rate * 0.9;
  const expected = total * audience.sockets.length;
  const deadline = Date.now() + DELIVERY_WAIT_MS;
  while (latencies.length < expected && Date.now() < deadline) await sleep(20);
  audience.listen(() => undefined);
  const latency = percentiles(latencies);
  const missing = expected - latencies.length;
  return {
    rate: step.rate,
    published: total,
    latency,
    publishMs: percentiles(publishMs),
    missing,
    publishErrors,
    sustained: keptRate && !missing && !publishErrors && latency.p99 < SATURATION_P99_MS,
  };
}
