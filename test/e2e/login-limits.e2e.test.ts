import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { COMMANDS, EVENTS } from '@retail/realtime-protocol';
import {
  ack,
  api,
  connectSocket,
  createTestDatabase,
  describeWithServices,
  login,
  nextEvent,
  REDIS_TEST_URL,
  sleep,
  startCluster,
  type Cluster,
  type TestDatabase,
} from '@retail/testing';

const DEVICE_COOKIE = 'rt_login_device';

/** The device cookie a successful login sets, as a `Cookie` header value. */
const deviceCookieOf = (headers: Headers) => {
  const cookie = headers.getSetCookie().find((c) => c.startsWith(`${DEVICE_COOKIE}=`));
  if (!cookie) throw new Error('no device cookie set');
  return cookie.split(';')[0]!;
};

describeWithServices(['postgres', 'redis'], 'login limits', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  // A trusts no proxy on loopback (TRUST_PROXY names another address), so the test is an untrusted
  // client there; B keeps the default, loopback, and so believes the test's X-Forwarded-For.
  let untrusted: string;
  let trusted: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster({
      replicas: 2,
      databaseUri: db.uri,
      redisUrl: REDIS_TEST_URL,
      replicaEnv: (i): Record<string, string> => (i === 0 ? { TRUST_PROXY: '192.0.2.1' } : {}),
    });
    [untrusted, trusted] = cluster.replicas.map((r) => r.httpUrl) as [string, string];
  });
  afterAll(async () => {
    await cluster?.stop();
    await db?.drop();
  });

  const attempt = (url: string, email: string, password: string, headers: Record<string, string> = {}) =>
    api(url, 'POST', '/auth/login', undefined, { email, password }, { headers });

  it('ignores X-Forwarded-For from an untrusted client: rotating it does not get past the limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await attempt(untrusted, 'cashier2@demo.local', 'wrong', { 'x-forwarded-for': `198.51.100.${i}` })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const blocked = await attempt(untrusted, 'cashier2@demo.local', 'demo1234', { 'x-forwarded-for': '198.51.100.99' });
    expect(blocked).toMatchObject({ status: 429, body: { statusCode: 429, code: 'rate_limited' } });
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it("uses a trusted proxy's X-Forwarded-For as the client address", async () => {
    const from = (address: string) => attempt(trusted, 'staff@demo.local', 'wrong', { 'x-forwarded-for': address });
    for (let i = 0; i < 5; i++) expect((await from('203.0.113.7')).status).toBe(401);
    expect((await from('203.0.113.7')).status).toBe(429);
    // Another address behind the same proxy is another client.
    expect((await from('203.0.113.8')).status).toBe(401);
  });

  it('limits an account across addresses too: 20 failures from 20 addresses, then 429 from a 21st', async () => {
    const statuses = [];
    for (let i = 1; i <= 21; i++) {
      statuses.push((await attempt(trusted, 'admin@other.local', 'wrong', { 'x-forwarded-for': `203.0.113.${100 + i}` })).status);
    }
    expect(statuses).toEqual([...Array(20).fill(401), 429]);
  });

  it('counts before comparing: 50 parallel wrong passwords for one account stop exactly at the limit', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => attempt(untrusted, 'manager@demo.local', 'wrong')));
    const count = (status: number) => answers.filter((a) => a.status === status).length;
    expect({ 401: count(401), 429: count(429) }).toEqual({ 401: 5, 429: 45 });
  });

  it("does not let a NAT neighbour lock a cashier's till out, on any replica", async () => {
    const till = await attempt(untrusted, 'cashier1@demo.local', 'demo1234');
    expect(till.status).toBe(200);
    const cookie = deviceCookieOf(till.headers);

    // A neighbour on the same address, without the till's cookie, alternating replicas: counted cluster-wide.
    const neighbour = [];
    for (let i = 0; i < 6; i++) neighbour.push((await attempt(cluster.replicas[i % 2]!.httpUrl, 'cashier1@demo.local', 'guess')).status);
    expect(neighbour).toEqual([401, 401, 401, 401, 401, 429]);
    // Unknown clients at that address are blocked for this account now...
    expect((await attempt(trusted, 'cashier1@demo.local', 'demo1234')).status).toBe(429);
    // ...but the till that logged in before is a known device, counted apart, and logs in.
    const again = await attempt(untrusted, 'cashier1@demo.local', 'demo1234', { cookie });
    expect(again.status).toBe(200);
    // A cookie is bound to its account: for another one it is no key at all.
    expect((await attempt(untrusted, 'cashier1@demo.local', 'demo1234', { cookie: `${DEVICE_COOKIE}=forged.value` })).status).toBe(429);
  });
});

describeWithServices(['postgres', 'redis'], 'login CPU and socket delivery on one replica', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  let url: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    // REST limits off: the storm must reach the password hashing, not stop at the rate limiter.
    cluster = await startCluster({ replicas: 1, databaseUri: db.uri, redisUrl: REDIS_TEST_URL, env: { RATE_LIMIT_USER_PER_SECOND: '0' } });
    url = cluster.replicas[0]!.httpUrl;
  });
  afterAll(async () => {
    await cluster?.stop();
    await db?.drop();
  });

  /** Median latency, from send to receipt on another socket of the replica, of `count` chat messages. */
  async function chatDeliveryP50(probe: { manager: Socket; cashier: Socket; roomId: string }, count: number) {
    const { manager, cashier, roomId } = probe;
    const latencies: number[] = [];
    for (let i = 0; i < count; i++) {
      const clientMessageId = randomUUID();
      const delivered = nextEvent(cashier, EVENTS.chatMessage.name, (e) => e.data.message.clientMessageId === clientMessageId, 30_000);
      const sentAt = performance.now();
      await ack(manager, COMMANDS.chatMessage.name, { roomId, body: `probe ${i}`, clientMessageId });
      await delivered;
      latencies.push(performance.now() - sentAt);
      await sleep(50);
    }
    return latencies.sort((x, y) => x - y)[Math.floor(count / 2)]!;
  }

  /** Logs in 50 times a second, round-robin over demo users, until `stop` resolves; answers every status. */
  async function loginStorm(stop: Promise<unknown>): Promise<number[]> {
    const emails = ['admin@demo.local', 'manager@demo.local', 'cashier2@demo.local', 'staff@demo.local', 'admin@other.local'];
    let storming = true;
    void stop.finally(() => (storming = false));
    const answers: Promise<number>[] = [];
    for (let i = 0; storming; i++) {
      answers.push(
        api(url, 'POST', '/auth/login', undefined, { email: emails[i % emails.length], password: 'demo1234' }).then((a) => a.status),
      );
      await sleep(20);
    }
    return Promise.all(answers);
  }

  it('a storm of 50 logins/s raises socket delivery latency at most 2x', async () => {
    // Logged in and joined before the storm: the probe measures delivery, not its own logins.
    const ws = cluster.replicas[0]!.wsUrl;
    const managerToken = await login(url, 'manager@demo.local');
    const manager = await connectSocket(ws, 'chat', managerToken);
    const cashier = await connectSocket(ws, 'chat', await login(url, 'cashier1@demo.local'));
    try {
      const { body } = await api(url, 'GET', '/chat/rooms', managerToken);
      const roomId: string = body.items.find((r: { name: string }) => r.name === 'Demo Retail team').id;
      for (const socket of [manager, cashier]) expect(await ack(socket, COMMANDS.chatJoin.name, { roomId })).toMatchObject({ ok: true });
      const probe = { manager, cashier, roomId };

      const baseline = await chatDeliveryP50(probe, 30);
      const measured = sleep(1000).then(() => chatDeliveryP50(probe, 30)); // once the storm is under way
      const outcomes = await loginStorm(measured);
      const during = await measured;

      const tally: Record<number, number> = {};
      for (const status of outcomes) tally[status] = (tally[status] ?? 0) + 1;
      console.log(`chat delivery p50: ${baseline.toFixed(1)} ms idle, ${during.toFixed(1)} ms during logins`, tally);
      // Every login answered: served, or refused at once (503 login_busy past the hashing queue, or
      // 429 when in-flight logins of one account filled its counter).
      expect(outcomes.every((status) => [200, 429, 503].includes(status))).toBe(true);
      expect(tally[200]).toBeGreaterThan(0);
      // The floor keeps an idle baseline of a few ms from turning scheduling noise into a failure.
      expect(during).toBeLessThanOrEqual(Math.max(2 * baseline, 30));
    } finally {
      manager.close();
      cashier.close();
    }
  });
});
