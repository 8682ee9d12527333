import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppConfig, parseEnv } from '@retail/config';
import { type AlertLifecycle, type AlertSweepService, AlertSweepScheduler, type TillOfflineAlerts } from '@retail/notifications';
import { RedisConnections } from '@retail/redis';
import { sleep, REDIS_TEST_URL, describeWithServices, TEST_JWT_SECRET } from '@retail/testing';

const INTERVAL_MS = 400;

/** One replica's scheduler: its own Redis connections, a sweep that only counts its runs. */
function replica(env: Record<string, string>, runs: string[], name: string, sweepMs = 50) {
  const config = new AppConfig(parseEnv({ JWT_SECRET: TEST_JWT_SECRET, ALERT_SWEEP_INTERVAL_MS: String(INTERVAL_MS), ...env }));
  const redis = new RedisConnections(config);
  const sweep = { sweepOnce: async () => (runs.push(name), await sleep(sweepMs), { created: 0 }) } as unknown as AlertSweepService;
  const lifecycle = { escalateDue: async () => 0 } as unknown as AlertLifecycle;
  const tillOffline = { sweepOnce: async () => ({ created: 0 }) } as unknown as TillOfflineAlerts;
  const scheduler = new AlertSweepScheduler(config, redis, sweep, lifecycle, tillOffline);
  return {
    start: () => scheduler.onApplicationBootstrap(),
    // Nest's order: module destroy hooks, then application shutdown hooks.
    stop: async () => (await scheduler.onModuleDestroy(), await redis.onApplicationShutdown()),
  };
}

describeWithServices(['redis'], 'alert sweep scheduling', () => {
  const prefix = `rt-test-${randomBytes(4).toString('hex')}`;
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(REDIS_TEST_URL);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('runs once per tick across three replicas sharing Redis, and leaves no connection behind', async () => {
    const runs: string[] = [];
    const replicas = ['A', 'B', 'C'].map((name) => replica({ REDIS_URL: REDIS_TEST_URL, REDIS_KEY_PREFIX: prefix }, runs, name));
    await Promise.all(replicas.map((r) => r.start()));
    const started = Date.now();
    await sleep(INTERVAL_MS * 6);
    await Promise.all(replicas.map((r) => r.stop()));
    const ticks = (Date.now() - started) / INTERVAL_MS;

    // Once per replica would be ~3 runs per tick; once per cluster is one per tick (plus the first, due at once).
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.length).toBeLessThanOrEqual(Math.ceil(ticks) + 2);
    const clients = ((await redis.client('LIST')) as string).split('\n').filter((line) => line.includes(` name=${prefix}:`));
    expect(clients).toEqual([]);
  });

  it('runs in process on a single node without Redis, never overlapping itself', async () => {
    const runs: string[] = [];
    const single = replica({}, runs, 'solo');
    await single.start();
    await sleep(INTERVAL_MS * 3.5);
    await single.stop();
    expect(runs.length).toBe(3);

    const slowRuns: string[] = [];
    const slow = replica({}, slowRuns, 'slow', INTERVAL_MS * 2.5);
    await slow.start();
    await sleep(INTERVAL_MS * 3.25);
    await slow.stop();
    expect(slowRuns.length).toBe(1);
  });
});
