import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { EVENTS } from '@retail/realtime-protocol';
import {
  connectSocket,
  createTestDatabase,
  demoIds,
  describeWithServices,
  forwardAddress,
  freePort,
  HAPROXY_CONFIG,
  login,
  nextEvent,
  productBySku,
  readMetrics,
  REDIS_TEST_URL,
  sell,
  sleep,
  startCluster,
  startHaproxy,
  startHaproxyOnDns,
  startServiceDns,
  type Cluster,
  type Haproxy,
  type TestDatabase,
} from '@retail/testing';

const CLIENTS = 300;
// The clients are one user's: lift the per-user socket cap above their number, and the per-user
// budget their handshakes count against.
const MANY_SOCKETS_OF_ONE_USER = { SOCKETS_PER_USER_MAX: '1000', RATE_LIMIT_USER_PER_SECOND: '0' };
const POS_SOCKETS = 'realtime_sockets_connected{namespace="/pos"}';

describeWithServices(['postgres', 'redis', 'haproxy'], 'HAProxy in front: even balancing behind one address', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  let haproxy: Haproxy;
  const sockets: Socket[] = [];
  const socketsPerReplica = () => Promise.all(cluster.replicas.map(async (r) => (await readMetrics(r.httpUrl))(POS_SOCKETS)));

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster({ replicas: 3, databaseUri: db.uri, redisUrl: REDIS_TEST_URL, env: MANY_SOCKETS_OF_ONE_USER });
    haproxy = await startHaproxy(cluster.replicas);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await haproxy?.stop();
    await cluster?.stop();
    await db?.drop();
  });

  it('ships a configuration HAProxy accepts as it is (Docker DNS names and all)', () => {
    expect(execFileSync('haproxy', ['-c', '-f', HAPROXY_CONFIG], { encoding: 'utf8' })).toContain('Configuration file is valid');
  });

  it(`spreads ${CLIENTS} WebSocket clients from one address evenly over 3 replicas`, async () => {
    const token = await login(haproxy.url, 'manager@demo.local');
    for (let i = 0; i < CLIENTS; i += 50) {
      sockets.push(...(await Promise.all(Array.from({ length: 50 }, () => connectSocket(haproxy.url, 'pos', token)))));
    }
    const counts = await socketsPerReplica();
    console.log(`${CLIENTS} clients from 127.0.0.1 per replica: ${counts.join(' / ')}`);
    expect(counts.reduce((a, b) => a + b)).toBe(CLIENTS);
    for (const count of counts) expect(Math.abs(count - CLIENTS / 3)).toBeLessThanOrEqual(30);
    sockets.splice(0).forEach((s) => s.close());
  });

  it('pins a long-polling session to its replica with the cookie it sets, and only with it', async () => {
    const handshake = await fetch(`${haproxy.url}/socket.io/?EIO=4&transport=polling`);
    const cookie = handshake.headers.get('set-cookie')!.split(';')[0];
    expect(cookie).toMatch(/^rt_io=/);
    const { sid } = JSON.parse((await handshake.text()).slice(1)) as { sid: string };
    // A noop packet ('6') on the session, ten times with the cookie and ten times without.
    const post = (headers: Record<string, string>) =>
      fetch(`${haproxy.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '6', headers }).then((r) => r.status);
    const withCookie = await Promise.all(Array.from({ length: 10 }, () => post({ cookie })));
    const without = await Promise.all(Array.from({ length: 10 }, () => post({})));
    expect(withCookie).toEqual(Array(10).fill(200));
    expect(without).toContain(400); // "Session ID unknown" on the other replicas
  });

  it('keeps each long-polling client on one replica by cookie, over many polls, and delivers to it', async () => {
    const ids = await demoIds(haproxy.url);
    const manager = await login(haproxy.url, 'manager@demo.local');
    while ((await socketsPerReplica()).some((n) => n > 0)) await sleep(100); // the previous test's sockets are gone
    const polling = await Promise.all(
      Array.from({ length: 12 }, () => connectSocket(haproxy.url, 'pos', manager, { transports: ['polling'], withCredentials: true })),
    );
    sockets.push(...polling);
    const cashier = await login(haproxy.url, 'cashier1@demo.local', { deviceId: ids.centroDevice });
    const water = (await productBySku(haproxy.url, cashier, 'WATER-500')).id;

    // Several rounds apart: each is a new long-poll, and a poll on the wrong replica would end the session.
    for (let round = 0; round < 3; round++) {
      const received = polling.map((s) => nextEvent(s, EVENTS.posSaleCompleted.name));
      expect((await sell(haproxy.url, cashier, [{ productId: water, quantity: 1 }])).status).toBe(201);
      await Promise.all(received);
      await sleep(1_500);
    }
    expect(polling.every((s) => s.connected && s.io.engine.transport.name === 'polling')).toBe(true);
    const counts = await socketsPerReplica();
    expect(counts.reduce((a, b) => a + b)).toBe(polling.length);
    expect(counts.filter((n) => n > 0).length).toBeGreaterThan(1); // sticky per client, still spread
  });
});

describeWithServices(['postgres', 'redis', 'haproxy'], 'HAProxy takes replicas added later from DNS, without a restart', () => {
  it('sends new connections to replicas published after it started (docker compose up --scale)', async () => {
    const db = await createTestDatabase();
    const cluster = await startCluster({
      replicas: 3,
      databaseUri: db.uri,
      redisUrl: REDIS_TEST_URL,
      env: MANY_SOCKETS_OF_ONE_USER,
    });
    const dns = await startServiceDns();
    // As in Docker: every replica at its own address, all on the same two ports.
    const ports = { http: await freePort(), ws: await freePort() };
    const addresses = cluster.replicas.map((_, i) => `127.0.0.${i + 2}`);
    const forwarders = await Promise.all(
      cluster.replicas.flatMap((r, i) => [
        forwardAddress(addresses[i], ports.http, r.httpUrl),
        forwardAddress(addresses[i], ports.ws, r.wsUrl),
      ]),
    );
    dns.publish('api', addresses.slice(0, 1));
    const haproxy = await startHaproxyOnDns(dns.port, ports);
    const sockets: Socket[] = [];
    const perReplica = () => Promise.all(cluster.replicas.map(async (r) => (await readMetrics(r.httpUrl))(POS_SOCKETS)));
    try {
      const token = await login(haproxy.url, 'manager@demo.local');
      const connect = async (n: number) =>
        sockets.push(...(await Promise.all(Array.from({ length: n }, () => connectSocket(haproxy.url, 'pos', token)))));
      await connect(30);
      expect(await perReplica()).toEqual([30, 0, 0]);

      dns.publish('api', addresses); // scaled to 3
      const deadline = Date.now() + 30_000;
      while ((await perReplica()).slice(1).some((n) => n === 0) && Date.now() < deadline) await connect(1);
      await connect(60);
      const counts = await perReplica();
      console.log(`after the scale-up, sockets per replica: ${counts.join(' / ')}`);
      expect(counts[1]).toBeGreaterThanOrEqual(20);
      expect(counts[2]).toBeGreaterThanOrEqual(20);
    } finally {
      sockets.forEach((s) => s.close());
      await haproxy.stop();
      forwarders.forEach((f) => f.close());
      await dns.stop();
      await cluster.stop();
      await db.drop();
    }
  });
});
