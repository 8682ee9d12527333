import { Redis } from 'ioredis';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NAMESPACES } from '@retail/realtime-protocol';
import {
  connectSocket,
  createTestDatabase,
  decodeClaims,
  describeWithServices,
  login,
  REDIS_TEST_URL,
  startCluster,
  until,
  type Cluster,
  type TestDatabase,
} from '@retail/testing';

const SOCKET_CAP = 5;

/**
 * Opens an engine.io connection by hand, asks for `/pos` with the token, and drops the TCP
 * connection at once: the server gets the namespace request and the close together, so the close
 * lands while the handshake middleware is still running.
 */
function abortedHandshake(wsUrl: string, token: string): Promise<void> {
  const ws = new WebSocket(`${wsUrl.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
  return new Promise((resolve, reject) => {
    ws.on('message', (raw) => {
      if (!raw.toString().startsWith('0')) return;
      ws.send(`40${NAMESPACES.pos.path},${JSON.stringify({ token })}`);
      ws.terminate();
    });
    ws.on('close', () => resolve());
    ws.on('error', reject);
  });
}

describeWithServices(['postgres', 'redis'], 'sockets bounded per user and per company', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  let redis: Redis;
  let base: string;
  let ws: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster({
      replicas: 1,
      databaseUri: db.uri,
      redisUrl: REDIS_TEST_URL,
      env: { SOCKETS_PER_USER_MAX: String(SOCKET_CAP), RATE_LIMIT_USER_PER_SECOND: '0', RATE_LIMIT_COMPANY_PER_SECOND: '0' },
    });
    [{ httpUrl: base, wsUrl: ws }] = cluster.replicas;
    redis = new Redis(REDIS_TEST_URL);
  });
  afterAll(async () => {
    redis?.disconnect();
    await cluster?.stop();
    await db?.drop();
  });

  it('300 aborted handshakes leave no socket slot taken: a normal connect works after them', async () => {
    const token = await login(base, 'manager@demo.local');
    const slots = `${cluster.redisPrefix}:{sockets}:${NAMESPACES.pos.path}:${decodeClaims(token).sub}`;
    for (let batch = 0; batch < 30; batch++) {
      await Promise.all(Array.from({ length: 10 }, () => abortedHandshake(ws, token)));
    }
    await until('every slot released', async () => (await redis.zcard(slots)) === 0, 10_000);
    const sockets = await Promise.all(Array.from({ length: SOCKET_CAP }, () => connectSocket(ws, 'pos', token)));
    expect(sockets.every((s) => s.connected)).toBe(true);
    expect(await redis.zcard(slots)).toBe(SOCKET_CAP);
    sockets.forEach((s) => s.close());
  });
});
