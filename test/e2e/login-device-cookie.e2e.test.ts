import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  api,
  createTestDatabase,
  describeWithServices,
  startCluster,
  until,
  type Cluster,
  type Replica,
  type TestDatabase,
} from '@retail/testing';

const DEVICE_COOKIE = 'rt_login_device';

describeWithServices(['postgres'], 'the login device cookie: refused when malformed, never logged', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  let replica: Replica;

  beforeAll(async () => {
    db = await createTestDatabase();
    // info: every request's log line, with its headers, as production logs them.
    cluster = await startCluster({ replicas: 1, databaseUri: db.uri, env: { LOG_LEVEL: 'info' } });
    replica = cluster.replicas[0]!;
  });
  afterAll(async () => {
    await cluster?.stop();
    await db?.drop();
  });

  const loginWith = (cookie?: string) =>
    api(
      replica.httpUrl,
      'POST',
      '/auth/login',
      undefined,
      { email: 'cashier1@demo.local', password: 'demo1234' },
      cookie ? { headers: { cookie } } : {},
    );

  it('answers a cookie that is not valid percent-encoding with 400 cookie_malformed, not 500', async () => {
    for (const value of ['%E0%A4%A', '%', 'nonce.%zz']) {
      const answer = await loginWith(`${DEVICE_COOKIE}=${value}`);
      expect(answer.status, value).toBe(400);
      expect(answer.body).toMatchObject({ statusCode: 400, code: 'cookie_malformed' });
    }
    expect((await loginWith()).status).toBe(200);
  });

  it('keeps every device cookie, set or sent, out of the logs', async () => {
    const first = await loginWith();
    const issued = first.headers
      .getSetCookie()
      .find((c) => c.startsWith(`${DEVICE_COOKIE}=`))!
      .split(';')[0]!;
    const value = issued.slice(DEVICE_COOKIE.length + 1);
    const again = await loginWith(issued);
    expect(again.status).toBe(200);
    const reissued = again.headers
      .getSetCookie()[0]!
      .split(';')[0]!
      .slice(DEVICE_COOKIE.length + 1);

    // Both logins were logged (a line each, with their request id)...
    const logged = (answer: typeof first) => replica.output().includes(answer.headers.get('x-request-id')!);
    await until('both logins logged', () => logged(first) && logged(again));
    // ...and neither the cookie it sent nor either one it was given, whole or any part of it.
    const [nonce, signature] = value.split('.');
    for (const secret of [value, reissued, nonce!, signature!, ...reissued.split('.')]) {
      expect(replica.output()).not.toContain(secret);
    }
  });
});
