import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '@retail/common';
import { RedisConnections } from '@retail/redis';

const MAX_FAILURES = 5;
const WINDOW_MS = 60_000;

/** Failed logins per key in a fixed window that starts at the first failure. */
interface FailureCounter {
  count(key: string): Promise<number>;
  increment(key: string): Promise<void>;
  clear(key: string): Promise<void>;
}

/** Shared by every replica, so an attacker gains nothing by spreading attempts over the cluster. */
class RedisFailureCounter implements FailureCounter {
  constructor(private readonly redis: RedisConnections) {}
  async count(key: string) {
    return Number(await this.redis.client.get(key)) || 0;
  }
  async increment(key: string) {
    await this.redis.client.multi().set(key, 0, 'PX', WINDOW_MS, 'NX').incr(key).exec();
  }
  async clear(key: string) {
    await this.redis.client.del(key);
  }
}

/** Single-node mode (no Redis). */
class MemoryFailureCounter implements FailureCounter {
  private readonly entries = new Map<string, { count: number; resetAt: number }>();
  async count(key: string) {
    const entry = this.entries.get(key);
    if (entry && entry.resetAt <= Date.now()) this.entries.delete(key);
    return this.entries.get(key)?.count ?? 0;
  }
  async increment(key: string) {
    const count = await this.count(key);
    this.entries.set(key, { count: count + 1, resetAt: this.entries.get(key)?.resetAt ?? Date.now() + WINDOW_MS });
  }
  async clear(key: string) {
    this.entries.delete(key);
  }
}

/** Limits failed logins per email and client address: 5 a minute, then `429 rate_limited`. */
@Injectable()
export class LoginAttemptsService {
  private readonly logger = new Logger('LoginAttempts');
  private readonly counter: FailureCounter;
  private readonly prefix: string;

  constructor(redis: RedisConnections) {
    this.counter = redis.enabled ? new RedisFailureCounter(redis) : new MemoryFailureCounter();
    this.prefix = `${redis.keyPrefix}:login-failures:`;
  }

  async assertAllowed(email: string, ip: string): Promise<void> {
    const failures = await this.safely(() => this.counter.count(this.key(email, ip)), 0);
    if (failures >= MAX_FAILURES) throw AppError.rateLimited('Too many failed logins, try again in a minute');
  }

  recordFailure(email: string, ip: string): Promise<void> {
    return this.safely(() => this.counter.increment(this.key(email, ip)), undefined);
  }

  reset(email: string, ip: string): Promise<void> {
    return this.safely(() => this.counter.clear(this.key(email, ip)), undefined);
  }

  private key(email: string, ip: string) {
    return `${this.prefix}${email.toLowerCase()}|${ip}`;
  }

  /** The limiter fails open: Redis being down must not lock every cashier out of the POS. */
  private async safely<T>(work: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.logger.warn(`login limiter unavailable: ${(error as Error).message}`);
      return fallback;
    }
  }
}
