import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  api,
  createTestDatabase,
  describeWithServices,
  REDIS_TEST_URL,
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
