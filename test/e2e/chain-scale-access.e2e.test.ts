import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ack,
  api,
  connectPrisma,
  connectSocket,
  createTestDatabase,
  decodeClaims,
  demoIds,
  describeWithServices,
  login,
  REDIS_TEST_URL,
  startCluster,
  startNginx,
  type Cluster,
  type Nginx,
  type TestDatabase,
} from '@retail/testing';
import { COMMANDS, Rooms } from '@retail/realtime-protocol';

const STORES = 1_000;

// The token carries no store list, so an ADMIN of a big chain gets through the shipped nginx
// (whose header limits once refused it past ~146 stores) like anyone else.
describeWithServices(['postgres', 'redis', 'nginx'], 'an ADMIN of a 1,000-store chain, through the shipped nginx', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  let nginx: Nginx;
  let companyId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster({ replicas: 2, databaseUri: db.uri, redisUrl: REDIS_TEST_URL });
    nginx = await startNginx(cluster.replicas);
    ({ companyId } = await demoIds(nginx.url));
    const prisma = await connectPrisma(db.uri);
    try {
      await prisma.workspace.createMany({
        data: Array.from({ length: STORES }, (_, i) => ({ companyId, name: `Store ${String(i).padStart(4, '0')}` })),
      });
    } finally {
      await prisma.onApplicationShutdown();
    }
  });
  afterAll(async () => {
    await nginx?.stop();
    await cluster?.stop();
    await db?.drop();
  });

  it('keeps the access token under 1 KB, naming the user and company only', async () => {
    const token = await login(nginx.url, 'admin@demo.local');
    expect(Buffer.byteLength(token)).toBeLessThan(1024);
    const claims = decodeClaims(token);
    expect(claims).toMatchObject({ sub: expect.any(String), companyId, ver: expect.any(Number) });
    for (const leaked of ['workspaceIds', 'role', 'permissions']) expect(claims).not.toHaveProperty(leaked);
  });

  it("answers the admin's REST calls, with every store read from the database", async () => {
    const token = await login(nginx.url, 'admin@demo.local');
    const me = await api(nginx.url, 'GET', '/auth/me', token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ role: 'ADMIN', companyId, permissions: expect.arrayContaining(['users:manage']) });
    expect(me.body.workspaceIds).toHaveLength(STORES + 2); // the demo chain's Centro and Norte, and the new ones

    const stores = await api(nginx.url, 'GET', '/workspaces', token);
    expect(stores.status).toBe(200);
    expect(stores.body).toHaveLength(STORES + 2);
    expect(new Set(stores.body.map((s: { id: string }) => s.id))).toEqual(new Set(me.body.workspaceIds));
    expect((await api(nginx.url, 'GET', '/users?limit=5', token)).status).toBe(200);
    expect((await api(nginx.url, 'GET', `/workspaces/${stores.body[STORES - 1].id}/devices`, token)).status).toBe(200);
  });

  it('connects the admin through nginx and lets it subscribe to any one of the stores', async () => {
    const token = await login(nginx.url, 'admin@demo.local');
    const stores = (await api(nginx.url, 'GET', '/workspaces', token)).body as Array<{ id: string }>;
    const socket = await connectSocket(nginx.url, 'pos', token);
    try {
      const room = Rooms.workspace(stores[STORES / 2].id);
      expect(await ack(socket, COMMANDS.subscribe.name, { room })).toMatchObject({ ok: true, room });
    } finally {
      socket.close();
    }
  });
});
