import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  api,
  connectPrisma,
  createTestDatabase,
  demoIds,
  describeWithServices,
  login,
  REDIS_TEST_URL,
  startCluster,
  type Cluster,
  type TestDatabase,
} from '@retail/testing';

const CREATIONS = 40;
const LOGIN_LANE = { concurrency: 1, queue: 3 };
const ADMIN_LANE = { concurrency: 1, queue: 2 };
const OTHER_COMPANY_USERS = ['admin@other.local'];
const SAME_COMPANY_USERS = ['manager@demo.local', 'cashier2@demo.local', 'staff@demo.local'];

describeWithServices(['postgres', 'redis'], 'password hashing lanes: admins creating users beside logins', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  let url: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster({
      replicas: 1,
      databaseUri: db.uri,
      redisUrl: REDIS_TEST_URL,
      env: {
        LOGIN_HASH_CONCURRENCY: String(LOGIN_LANE.concurrency),
        LOGIN_HASH_QUEUE: String(LOGIN_LANE.queue),
        ADMIN_HASH_CONCURRENCY: String(ADMIN_LANE.concurrency),
        ADMIN_HASH_QUEUE: String(ADMIN_LANE.queue),
        // The flood must reach the hashing, not stop at the per-user REST limit.
        RATE_LIMIT_USER_PER_SECOND: '0',
      },
    });
    url = cluster.replicas[0]!.httpUrl;
  });
  afterAll(async () => {
    await cluster?.stop();
    await db?.drop();
  });

  it(`${CREATIONS} user creations at once fill only the admin lane: every login that fits its own lane is served`, async () => {
    const admin = await login(url, 'admin@demo.local');
    const { norte } = await demoIds(url);
    const creations = Array.from({ length: CREATIONS }, (_, i) =>
      api(url, 'POST', '/users', admin, {
        email: `flood-${i}@demo.local`,
        name: `Flood ${i}`,
        role: 'CASHIER',
        password: 'a long enough password',
        workspaceIds: [norte],
      }),
    );
    // As many logins as the login lane holds (running + waiting), another company's and this one's, during the flood.
    const logins = [...OTHER_COMPANY_USERS, ...SAME_COMPANY_USERS].map((email) =>
      api(url, 'POST', '/auth/login', undefined, { email, password: 'demo1234' }),
    );
    expect(logins).toHaveLength(LOGIN_LANE.concurrency + LOGIN_LANE.queue);

    const [created, loggedIn] = await Promise.all([Promise.all(creations), Promise.all(logins)]);
    expect(loggedIn.map((a) => a.status)).toEqual(logins.map(() => 200));

    const accepted = created.filter((a) => a.status === 201);
    const refused = created.filter((a) => a.status === 503);
    expect(accepted.length + refused.length).toBe(CREATIONS);
    expect(accepted.length).toBeGreaterThanOrEqual(ADMIN_LANE.concurrency + ADMIN_LANE.queue);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(answer.body).toMatchObject({ statusCode: 503, code: 'admin_hashing_busy' });
      expect(answer.headers.get('retry-after')).toBe('1');
    }
    // A refused creation wrote nothing; an accepted one, its user.
    const prisma = await connectPrisma(db.uri);
    try {
      expect(await prisma.user.count({ where: { email: { startsWith: 'flood-' } } })).toBe(accepted.length);
    } finally {
      await prisma.onApplicationShutdown();
    }
  });
});
