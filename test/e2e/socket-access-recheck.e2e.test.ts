import { Redis } from 'ioredis';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  connectSocket,
  createTestDatabase,
  createUser,
  demoIds,
  describeWithServices,
  login,
  REDIS_TEST_URL,
  sessionEnd,
  startCluster,
  startPrivatePostgres,
  type Cluster,
  type PrivatePostgres,
  type TestDatabase,
} from '@retail/testing';

// Replica B re-resolves every socket at least every 3 s; A at the default 60 s, so only announcements reach its sockets here.
const RECHECK_SECONDS = 3;
// Generous: B's sweep ends a socket within RECHECK_SECONDS; an announcement within moments.
const ENDED_WITHIN_MS = 15_000;

describeWithServices(['redis'], 'live sockets checked again without an announcement, and failing closed on a database error', () => {
  let postgres: PrivatePostgres;
  let db: TestDatabase;
  let cluster: Cluster;
  let redis: Redis;
  let admin: string;
  let ids: Awaited<ReturnType<typeof demoIds>>;
  const sockets: Socket[] = [];
  const base = (i: number) => cluster.replicas[i].httpUrl;
  const connect = async (replica: number, token: string) => {
    const socket = await connectSocket(cluster.replicas[replica].wsUrl, 'notifications', token);
    sockets.push(socket);
    return socket;
  };
  const newManager = async () => {
    const user = await createUser(base(0), admin, { role: 'MANAGER', workspaceIds: [ids.centro] });
    return { ...user, token: await login(base(0), user.email, { password: user.password }) };
  };

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    db = await createTestDatabase({ adminUri: postgres.adminUri });
    cluster = await startCluster({
      replicas: 2,
      databaseUri: db.uri,
      redisUrl: REDIS_TEST_URL,
      replicaEnv: (i): Record<string, string> => (i === 1 ? { SOCKET_ACCESS_RECHECK_SECONDS: String(RECHECK_SECONDS) } : {}),
    });
    redis = new Redis(REDIS_TEST_URL);
    ids = await demoIds(base(0));
    admin = await login(base(0), 'admin@demo.local');
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    redis?.disconnect();
    await cluster?.stop();
    await db?.drop();
    await postgres?.destroy();
  });

  it('ends a socket whose user was disabled behind its back (no announcement) within the re-check interval', async () => {
    const manager = await newManager();
    const ended = sessionEnd(await connect(1, manager.token), ENDED_WITHIN_MS);

    const client = new pg.Client({ connectionString: db.uri });
    await client.connect();
    await client.query('UPDATE "User" SET disabled = true WHERE id = $1', [manager.id]);
    await client.end();

    expect((await ended).ended.code).toBe('token_revoked');
  });

  it('fails closed when the database is down: an announced change ends the socket at once, the sweep within its interval', async () => {
    const [announced, swept] = [await newManager(), await newManager()];
    const onA = sessionEnd(await connect(0, announced.token), ENDED_WITHIN_MS);
    const onB = sessionEnd(await connect(1, swept.token), ENDED_WITHIN_MS);

    await postgres.stop();
    try {
      // What AccessChanges publishes for a change of the user (the channel every replica listens on).
      const change = { origin: 'test', userIds: [announced.id], deviceIds: [], sessionIds: [] };
      await redis.publish(`${cluster.redisPrefix}:access-changed`, JSON.stringify(change));

      for (const end of await Promise.all([onA, onB])) {
        expect(end).toEqual({ ended: { code: 'access_unverifiable', message: expect.any(String) }, reason: 'io server disconnect' });
      }
      await expect(connectSocket(cluster.replicas[0].wsUrl, 'notifications', announced.token)).rejects.toMatchObject({
        data: { code: 'database_unavailable' },
      });
    } finally {
      await postgres.start();
    }
  });
});
