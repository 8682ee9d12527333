import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  api,
  createTestDatabase,
  type TestDatabase,
  REDIS_TEST_URL,
  startCluster,
  type Cluster,
  describeWithServices,
} from '@retail/testing';

describeWithServices(['postgres', 'redis'], 'failed-login limit across replicas', () => {
  let db: TestDatabase;
  let cluster: Cluster;

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster({ replicas: 2, databaseUri: db.uri, redisUrl: REDIS_TEST_URL });
  });
  afterAll(async () => {
    await cluster?.stop();
    await db?.drop();
  });

  const attempt = (replica: number, email: string, password: string) =>
    api(cluster.replicas[replica].httpUrl, 'POST', '/auth/login', undefined, { email, password });

  it('counts failures cluster-wide: after 5, even the right password is refused with 429 on another replica', async () => {
    for (let i = 0; i < 5; i++) expect((await attempt(i % 2, 'cashier1@demo.local', 'wrong')).status).toBe(401);
    const blocked = await attempt(1, 'cashier1@demo.local', 'demo1234');
    expect(blocked).toMatchObject({ status: 429, body: { code: 'rate_limited' } });
    expect((await attempt(0, 'cashier2@demo.local', 'demo1234')).status).toBe(200);
  });
});
