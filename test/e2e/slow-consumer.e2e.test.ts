import { WebSocket } from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CONTROL_EVENTS, EVENTS, NAMESPACES } from '@retail/realtime-protocol';
import {
  api,
  createTestDatabase,
  describeWithServices,
  login,
  openDashboard,
  readMetrics,
  sleep,
  startReplica,
  type Replica,
  type TestDatabase,
} from '@retail/testing';

const CAP_BYTES = 512 * 1024;
const NAMESPACE = NAMESPACES.notifications.path;
const BACKLOG = 'realtime_socket_backlog_bytes_max';
const SLOW_DISCONNECTS = `realtime_slow_consumer_disconnects_total{namespace="${NAMESPACE}"}`;

/**
 * A client that speaks engine.io / socket.io by hand over a raw WebSocket: it connects to the
 * namespace, answers pings, and, once `stopReading()` is called, never reads again (its TCP socket
 * is paused, so the kernel buffers fill and the server's writes back up).
 */
async function rawClient(wsUrl: string, token: string) {
  const ws = new WebSocket(`${wsUrl.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
  const ready = new Promise<void>((resolve, reject) => {
    ws.on('message', (raw) => {
      const packet = raw.toString();
      if (packet.startsWith('0')) ws.send(`40${NAMESPACE},${JSON.stringify({ token })}`);
      else if (packet === '2') ws.send('3');
      else if (packet.startsWith(`42${NAMESPACE},["${CONTROL_EVENTS.sessionReady.name}"`)) resolve();
      else if (packet.startsWith(`44${NAMESPACE}`)) reject(new Error(`refused: ${packet}`));
    });
    ws.on('error', reject);
  });
  await ready;
  return {
    // ws keeps its TCP socket as `_socket`; its types leave it out.
    stopReading: () => (ws as unknown as { _socket: { pause(): void } })._socket.pause(),
    close: () => ws.terminate(),
  };
}

describeWithServices(['postgres'], 'a slow consumer is disconnected past SOCKET_MAX_BUFFERED_BYTES', () => {
  let db: TestDatabase;
  let replica: Replica;

  beforeAll(async () => {
    db = await createTestDatabase();
    // The flood comes from one admin: the per-user REST limit is off so that only the socket's backlog is measured.
    replica = await startReplica('replica-A', {
      DATABASE_URI: db.uri,
      SOCKET_MAX_BUFFERED_BYTES: String(CAP_BYTES),
      RATE_LIMIT_USER_PER_SECOND: '0',
    });
  });
  afterAll(async () => {
    await replica?.stop();
    await db?.drop();
  });

  it('ends a socket that stopped reading, keeps memory bounded and the other sockets served', async () => {
    const admin = await login(replica.httpUrl, 'admin@demo.local');
    const manager = await login(replica.httpUrl, 'manager@demo.local');
    const healthy = openDashboard(replica.wsUrl, 'notifications', manager);
    await healthy.client.ready();
    const stalled = await rawClient(replica.wsUrl, manager);
    stalled.stopReading();

    // Company-wide alerts of ~2 KB, 16 at a time, until the replica gives up on the stalled socket;
    // meanwhile the largest backlog the replica holds for any connection is sampled.
    const message = 'x'.repeat(2000);
    const titles: string[] = [];
    let largestBacklog = 0;
    const stalledAt = Date.now();
    for (let round = 0; round < 1000; round++) {
      const metrics = await readMetrics(replica.httpUrl);
      largestBacklog = Math.max(largestBacklog, metrics(BACKLOG));
      if (metrics(SLOW_DISCONNECTS) > 0) break;
      const batch = Array.from({ length: 16 }, (_, i) => `flood ${round}.${i}`);
      const sent = await Promise.all(batch.map((title) => api(replica.httpUrl, 'POST', '/notifications', admin, { title, message })));
      expect(sent.every((r) => r.status === 201)).toBe(true);
      titles.push(...batch);
    }

    const metrics = await readMetrics(replica.httpUrl);
    expect(metrics(SLOW_DISCONNECTS)).toBe(1);
    expect(metrics(`realtime_sockets_connected{namespace="${NAMESPACE}"}`)).toBe(1); // the healthy one
    const flooded = () => healthy.delivered.filter((e) => e.type === EVENTS.systemAlert.name).length;
    const deadline = Date.now() + 20_000;
    while (flooded() < titles.length && Date.now() < deadline) await sleep(100);
    expect(flooded()).toBe(titles.length);
    console.log(
      `slow consumer cut after ${titles.length} alerts of ~2 KB, ${Date.now() - stalledAt} ms; largest backlog seen ${largestBacklog} bytes`,
    );
    // The replica held more than the cap for the stalled socket (it was backing up), never much more.
    expect(largestBacklog).toBeGreaterThan(CAP_BYTES / 4);
    expect(largestBacklog).toBeLessThan(2 * CAP_BYTES);
    stalled.close();
    await healthy.client.close();
  });
});
