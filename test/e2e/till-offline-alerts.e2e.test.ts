import { afterAll, beforeAll, expect, it } from 'vitest';
import { EVENTS, Rooms } from '@retail/realtime-protocol';
import {
  ack,
  api,
  connectSocket,
  createTestDatabase,
  describeWithServices,
  login,
  record,
  REDIS_TEST_URL,
  sleep,
  startCluster,
  storeWithTills,
  until,
  type Cluster,
  type TestDatabase,
  type TestEnvelope,
} from '@retail/testing';
import type { Socket } from 'socket.io-client';

const ALERTS = [EVENTS.systemAlert.name, EVENTS.systemWarning.name, EVENTS.systemInfo.name, EVENTS.systemAlertUpdated.name] as const;
const DELAY_SECONDS = 30;
const GRACE_SECONDS = 3;
const ENV = {
  PRESENCE_GRACE_SECONDS: String(GRACE_SECONDS),
  ALERT_SWEEP_INTERVAL_MS: '2000',
  SOCKETS_PER_USER_MAX: '1000',
  RATE_LIMIT_USER_PER_SECOND: '0',
};
/** Offline for the delay, after the grace, and a few sweeps more. */
const ALERT_DUE_MS = (DELAY_SECONDS + GRACE_SECONDS + 10) * 1000;

describeWithServices(['postgres', 'redis'], 'till offline while the store is open', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  let a: string;
  let admin: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster({ replicas: 2, databaseUri: db.uri, redisUrl: REDIS_TEST_URL, env: ENV });
    a = cluster.replicas[0].httpUrl;
    admin = await login(a, 'admin@demo.local');
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await cluster?.stop();
    await db?.drop();
  });

  /** A store with `count` tills, all connected (over both replicas), and the alerts its room gets on replica B. */
  async function storeOnline(count: number, hours: Record<string, unknown> = {}) {
    const { store, tills: made } = await storeWithTills(a, admin, db.uri, count, { offlineAlertAfterSeconds: DELAY_SECONDS, ...hours });
    const watcher = await connectSocket(cluster.replicas[1].wsUrl, 'notifications', admin);
    sockets.push(watcher);
    const alerts = record(watcher, ...ALERTS);
    await ack(watcher, 'subscribe', { room: Rooms.workspace(store) });
    const tills: Array<{ id: string; token: string; socket: Socket }> = [];
    for (const [i, till] of made.entries()) {
      const socket = await connectSocket(cluster.replicas[i % 2].wsUrl, 'pos', till.token);
      sockets.push(socket);
      tills.push({ ...till, socket });
    }
    await until('every till online', async () => {
      const rows = (await api(a, 'GET', '/workspaces/presence', admin)).body;
      return rows.find((r: { workspaceId: string }) => r.workspaceId === store)?.online === count;
    });
    return { store, tills, alerts };
  }
  const kinds = (alerts: TestEnvelope[]) => alerts.map((e) => `${e.type} ${e.data.kind}`);

  it.concurrent(
    'warns once for a till offline while its store is open, resolves the warning when it is back, and never for a closed store',
    async () => {
      const open = await storeOnline(3);
      const closed = await storeOnline(3, { openingHours: {} });
      open.tills[0].socket.close();
      closed.tills[0].socket.close();

      await until('the warning', () => open.alerts.length > 0, ALERT_DUE_MS + 15_000);
      expect(open.alerts[0]).toMatchObject({
        type: EVENTS.systemWarning.name,
        data: { kind: 'TILL_OFFLINE', scope: { type: 'workspace', workspaceId: open.store }, data: { deviceId: open.tills[0].id } },
      });
      await sleep(6_000); // three sweeps more
      expect(kinds(open.alerts)).toEqual([`${EVENTS.systemWarning.name} TILL_OFFLINE`]);
      expect(closed.alerts).toEqual([]);

      const back = await connectSocket(cluster.replicas[0].wsUrl, 'pos', open.tills[0].token);
      sockets.push(back);
      await until('the resolution', () => open.alerts.length === 2);
      expect(open.alerts[1]).toMatchObject({
        type: EVENTS.systemAlertUpdated.name,
        data: { id: open.alerts[0].data.notificationId, state: 'resolved', count: 1 },
      });
    },
    180_000,
  );

  it.concurrent(
    'raises one STORE_OFFLINE alert, and no till alert, when the whole store drops',
    async () => {
      const { tills, alerts } = await storeOnline(4);
      for (const till of tills) till.socket.close();
      await until('the store alert', () => alerts.length > 0, ALERT_DUE_MS + 15_000);
      await sleep(6_000);
      expect(kinds(alerts)).toEqual([`${EVENTS.systemAlert.name} STORE_OFFLINE`]);
      expect(alerts[0].data.data).toMatchObject({ offline: 4, tills: 4 });
    },
    180_000,
  );
});
