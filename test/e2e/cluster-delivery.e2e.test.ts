import { createTestDatabase, REDIS_TEST_URL, startCluster, describeWithServices } from '@retail/testing';

import { eventDeliverySuite } from './event-delivery.suite.js';

async function cluster(opts: { restOnlyTrigger: boolean }) {
  const db = await createTestDatabase();
  const { replicas, stop } = await startCluster({
    replicas: opts.restOnlyTrigger ? 4 : 3,
    databaseUri: db.uri,
    redisUrl: REDIS_TEST_URL,
    replicaEnv: (i): Record<string, string> => (opts.restOnlyTrigger && i === 3 ? { WEBSOCKET_ENABLED: 'false' } : {}),
  });
  const [a, b, c, restOnly] = replicas;
  return {
    trigger: (restOnly ?? a).httpUrl,
    listen: { a: a.wsUrl, b: b.wsUrl, c: c.wsUrl },
    stop: async () => (await stop(), await db.drop()),
  };
}

describeWithServices(['postgres', 'redis'], 'event delivery across three replicas on Redis', () => {
  eventDeliverySuite(() => cluster({ restOnlyTrigger: false }));
});

describeWithServices(['postgres', 'redis'], 'event delivery from a REST-only replica (WEBSOCKET_ENABLED=false)', () => {
  eventDeliverySuite(() => cluster({ restOnlyTrigger: true }));
});
