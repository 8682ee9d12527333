import { afterAll, beforeAll, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { login, createTestDatabase, startNginx, REDIS_TEST_URL, startCluster, describeWithServices } from '@retail/testing';

import { eventDeliverySuite } from './event-delivery.suite.js';
import { COMMANDS } from '@retail/realtime-protocol';

async function clusterBehindNginx() {
  const db = await createTestDatabase();
  const cluster = await startCluster({ replicas: 3, databaseUri: db.uri, redisUrl: REDIS_TEST_URL });
  const nginx = await startNginx(cluster.replicas);
  return { db, cluster, nginx, stop: async () => (await nginx.stop(), await cluster.stop(), await db.drop()) };
}

describeWithServices(['postgres', 'redis', 'nginx'], 'event delivery through nginx with default transports (polling, then upgrade)', () => {
  eventDeliverySuite(async () => {
    const { nginx, stop } = await clusterBehindNginx();
    return { trigger: nginx.url, listen: { a: nginx.url, b: nginx.url, c: nginx.url }, transports: ['polling', 'websocket'], stop };
  });
});

describeWithServices(['postgres', 'redis', 'nginx'], 'nginx stickiness', () => {
  let env: Awaited<ReturnType<typeof clusterBehindNginx>>;
  beforeAll(async () => (env = await clusterBehindNginx()));
  afterAll(async () => env?.stop());

  it('keeps a long-polling session on one replica (no "Session ID unknown") and upgrades to websocket', async () => {
    const token = await login(env.nginx.url, 'manager@demo.local');
    const socket = io(`${env.nginx.url}/pos`, { auth: { token }, reconnection: false, forceNew: true, autoConnect: false });
    const errors: Error[] = [];
    socket.on('connect_error', (e) => errors.push(e));
    const transports: string[] = [];
    const upgraded = new Promise<void>((resolve) =>
      socket.io.once('open', () => {
        transports.push(socket.io.engine.transport.name);
        socket.io.engine.once('upgrade', (transport: { name: string }) => (transports.push(transport.name), resolve()));
      }),
    );
    socket.connect();
    await upgraded;
    expect(transports).toEqual(['polling', 'websocket']);
    expect(await socket.emitWithAck(COMMANDS.subscribe.name, { room: 'lobby' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(errors).toEqual([]);
    socket.close();
  });

  it('serves polling-only clients across many requests without losing the session', async () => {
    const token = await login(env.nginx.url, 'manager@demo.local');
    const socket = io(`${env.nginx.url}/pos`, { auth: { token }, transports: ['polling'], reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => (socket.once('connect', () => resolve()), socket.once('connect_error', reject)));
    for (let i = 0; i < 10; i++) expect(await socket.emitWithAck(COMMANDS.subscribe.name, { room: 'lobby' })).toMatchObject({ ok: false });
    expect(socket.connected).toBe(true);
    socket.close();
  });
});
