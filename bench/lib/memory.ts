import { resolve } from 'node:path';
import type { Socket } from 'socket.io-client';
import { connectSocket, freePort, sleep } from '@retail/testing';
import { pool } from './pool.js';

const PROBE = resolve('bench/probe/memory-probe.mjs');

/** Env that loads the bench-only memory probe into a replica, answering on `port`. */
export const memoryProbeEnv = (port: number) => ({
  NODE_OPTIONS: `--expose-gc --import=${PROBE}`,
  BENCH_PROBE_PORT: String(port),
});
export const probePort = freePort;

interface MemoryUsage {
  rss: number;
  heapUsed: number;
  external: number;
}
const readMemory = async (port: number) => (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as MemoryUsage;

export interface SocketMemory {
  sockets: number;
  /** Per idle socket, bytes, measured inside the replica after a full GC. */
  rssPerSocket: number;
  heapPerSocket: number;
}

/** Opens `count` idle authenticated sockets on one replica and reads its memory before and after. */
export async function measureSocketMemory(probe: number, wsUrl: string, token: string, count: number): Promise<SocketMemory> {
  const before = await readMemory(probe);
  const sockets: Socket[] = [];
  try {
    await pool(count, 100, async () => void sockets.push(await connectSocket(wsUrl, 'notifications', token)));
    await sleep(2_000); // handshakes done, buffers settled
    const after = await readMemory(probe);
    return {
      sockets: count,
      rssPerSocket: (after.rss - before.rss) / count,
      heapPerSocket: (after.heapUsed + after.external - before.heapUsed - before.external) / count,
    };
  } finally {
    sockets.forEach((s) => s.close());
  }
}
