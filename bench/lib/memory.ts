import type { Socket } from 'socket.io-client';
import { connectSocket, freePort, probedMemory, sleep } from '@retail/testing';
import { pool } from './pool.js';

export const probePort = freePort;

export interface SocketMemory {
  sockets: number;
  /** Per idle socket, bytes, measured inside the replica after a full GC. */
  rssPerSocket: number;
  heapPerSocket: number;
}

/** Opens `count` idle authenticated sockets on one replica and reads its memory before and after. */
export async function measureSocketMemory(probe: number, wsUrl: string, token: string, count: number): Promise<SocketMemory> {
  const before = await probedMemory(probe);
  const sockets: Socket[] = [];
  try {
    await pool(count, 100, async () => void sockets.push(await connectSocket(wsUrl, 'notifications', token)));
    await sleep(2_000); // handshakes done, buffers settled
    const after = await probedMemory(probe);
    return {
      sockets: count,
      rssPerSocket: (after.rss - before.rss) / count,
      heapPerSocket: (after.heapUsed + after.external - before.heapUsed - before.external) / count,
    };
  } finally {
    sockets.forEach((s) => s.close());
  }
}
