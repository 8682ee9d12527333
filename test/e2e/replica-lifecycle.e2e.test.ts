import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  connectSocket,
  login,
  createTestDatabase,
  type TestDatabase,
  REDIS_TEST_URL,
  startCluster,
  startReplica,
  describeWithServices,
} from '@retail/testing';

describeWithServices(['postgres', 'redis'], 'replica lifecycle', () => {
  let db: TestDatabase;
  let redis: Redis;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = new Redis(REDIS_TEST_URL);
  });
  afterAll(async () => {
    redis?.disconnect();
    await db?.drop();
  });

  const clientsNamed = async (prefix: string) =>
    ((await redis.client('LIST')) as string).split('\n').filter((line) => line.includes(` name=${prefix}:`));

  it('exits 0 on SIGTERM and leaves no Redis client behind', async () => {
    const cluster = await startCluster({ replicas: 1, databaseUri: db.uri, redisUrl: REDIS_TEST_URL });
    const [replica] = cluster.replicas;
    const socket = await connectSocket(replica.wsUrl, 'pos', await login(replica.httpUrl, 'manager@demo.local'));
    const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
    expect((await clientsNamed(cluster.redisPrefix)).length).toBeGreaterThanOrEqual(2);

    expect(await replica.stop()).toBe(0);
    await disconnected;
    expect(await clientsNamed(cluster.redisPrefix)).toEqual([]);
  });

  it('fails fast on bad configuration, naming the variable', async () => {
    await expect(startReplica('bad', { DATABASE_URI: db.uri, JWT_SECRET: '' })).rejects.toThrow(
      /Invalid configuration: JWT_SECRET: required when DATABASE_URI is set/,
    );
    await expect(startReplica('bad', { DATABASE_URI: db.uri, WEBSOCKET_ENABLED: 'maybe' })).rejects.toThrow(/WEBSOCKET_ENABLED/);
  });
});
