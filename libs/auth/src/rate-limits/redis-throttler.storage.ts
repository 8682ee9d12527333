import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RedisConnections } from '@retail/redis';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

// One fixed window per key, counted and timed in one round trip.
const HIT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {hits, ttl}`;

/**
 * The throttler's counters in Redis, so a limit holds across every replica. (The @nest-lab storage
 * does not support Nest 12.) A request that cannot reach Redis within REDIS_COMMAND_TIMEOUT_MS is
 * let through: an outage of the limiter must not become an outage of the POS.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimits');

  constructor(private readonly redis: RedisConnections) {}

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    try {
      const [hits, leftMs] = (await this.redis.client.eval(HIT, 1, key, ttl)) as [number, number];
      const seconds = Math.max(1, Math.ceil(leftMs / 1000));
      return { totalHits: hits, timeToExpire: seconds, isBlocked: hits > limit, timeToBlockExpire: seconds };
    } catch (error) {
      this.logger.warn(`rate limiter unavailable: ${(error as Error).message}`);
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}
