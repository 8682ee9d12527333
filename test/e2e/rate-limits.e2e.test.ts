import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  api,
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

describeWithServices(['postgres', 'redis'], 'REST rate limits and the socket cap', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  // A limits users (2/s, 10 per 5 s window) and caps sockets at 3; B limits companies (3/s, 15 per window).
  let perUser: string;
  let perCompany: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster({
      replicas: 2,
      databaseUri: db.uri,
      redisUrl: REDIS_TEST_URL,
      replicaEnv: (i): Record<string, string> =>
        i === 0
          ? { RATE_LIMIT_USER_PER_SECOND: '2', RATE_LIMIT_COMPANY_PER_SECOND: '0', SOCKETS_PER_USER_MAX: '3' }
          : { RATE_LIMIT_USER_PER_SECOND: '0', RATE_LIMIT_COMPANY_PER_SECOND: '3', SOCKETS_PER_USER_MAX: '3' },
    });
    [perUser, perCompany] = cluster.replicas.map((r) => r.httpUrl) as [string, string];
  });
  afterAll(async () => {
    await cluster?.stop();
    await db?.drop();
  });

  const statuses = async (url: string, token: string, count: number) => {
    const answers = [];
    for (let i = 0; i < count; i++) answers.push(await api(url, 'GET', '/auth/me', token));
    return answers;
  };

  it('answers a user over the limit 429 rate_limited with Retry-After; other users go on', async () => {
    const cashier = await login(perUser, 'cashier1@demo.local');
    const manager = await login(perUser, 'manager@demo.local');
    const answers = await statuses(perUser, cashier, 14);
    expect(answers.map((a) => a.status)).toEqual([...Array(10).fill(200), ...Array(4).fill(429)]);
    const refused = answers.at(-1)!;
    expect(refused.body).toEqual({ statusCode: 429, code: 'rate_limited', message: expect.any(String) });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(5);
    expect((await api(perUser, 'GET', '/auth/me', manager)).status).toBe(200);
  });

  it('isolates companies: Demo Retail over its limit does not slow Other Chain', async () => {
    const tokens = await Promise.all(['admin@demo.local', 'manager@demo.local', 'staff@demo.local'].map((e) => login(perCompany, e)));
    const demo = [];
    for (let i = 0; i < 18; i++) demo.push((await api(perCompany, 'GET', '/auth/me', tokens[i % 3])).status);
    // Its users together share the company's 15.
    expect(demo).toEqual([...Array(15).fill(200), ...Array(3).fill(429)]);
    const other = await login(perCompany, 'admin@other.local');
    expect((await statuses(perCompany, other, 5)).map((a) => a.status)).toEqual(Array(5).fill(200));
  });

  it('never limits the health probes', async () => {
    const probes = await Promise.all(Array.from({ length: 30 }, () => api(perUser, 'GET', '/health/live')));
    expect(probes.every((p) => p.status === 200)).toBe(true);
  });

  it('caps sockets per user and namespace across replicas: too_many_sockets beyond the cap', async () => {
    const token = await login(perCompany, 'cashier2@demo.local');
    // Handshakes count against the company's budget too, which the test above spent: start on a fresh window.
    const redis = new Redis(REDIS_TEST_URL);
    const companyCounter = `${cluster.redisPrefix}:rate:company:${decodeClaims(token).companyId}`;
    await until('a fresh company window', async () => (await redis.exists(companyCounter)) === 0, 10_000).finally(() => redis.disconnect());
    const [a, b] = cluster.replicas.map((r) => r.wsUrl) as [string, string];
    const held = [await connectSocket(a, 'pos', token), await connectSocket(b, 'pos', token), await connectSocket(a, 'pos', token)];
    try {
      const refused = await connectSocket(b, 'pos', token).then(
        (s) => (s.close(), undefined),
        (error: Error & { data?: { code: string } }) => error,
      );
      expect(refused?.data?.code).toBe('too_many_sockets');
      // Another namespace has its own cap.
      const other = await connectSocket(b, 'inventory', token);
      other.close();
      // A slot frees when its socket disconnects.
      held.shift()!.close();
      await expect
        .poll(
          () =>
            connectSocket(b, 'pos', token).then(
              (s) => (held.push(s), true),
              () => false,
            ),
          { timeout: 10_000 },
        )
        .toBe(true);
    } finally {
      held.forEach((s) => s.close());
    }
  });
});
