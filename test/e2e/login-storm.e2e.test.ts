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

// Timed (a latency ratio): it runs in the serial e2e group, alone on the machine.
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
