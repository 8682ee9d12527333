import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '@retail/common';
import { RedisConnections } from '@retail/redis';
import { LoginDeviceCookies } from './login-device-cookies.js';

const MINUTE = 60_000;

/**
 * Who a failed login counts against. The threat is a guesser; the constraint is that a store's tills
 * share one NAT address, so no stranger on it may cheaply lock a cashier out:
 * - a known device (it sends the device cookie of its last successful login to this account) counts
 *   only against its own cookie: nobody else's failures touch it;
 * - any other client counts against the account at its address (tight: the guesser at one address),
 *   its address (loose: one address spraying many accounts), and the account across addresses
 *   (higher: a guesser spread over many addresses). Those can be filled by strangers, which blocks
 *   only unknown clients: a till that logged in before keeps logging in.
 */
const LIMITS = {
  device: { limit: 5, windowMs: MINUTE },
  accountAtAddress: { limit: 5, windowMs: MINUTE },
  address: { limit: 50, windowMs: MINUTE },
  account: { limit: 20, windowMs: 15 * MINUTE },
} as const;
type Counter = keyof typeof LIMITS;

/** Counters a success clears: those of the account's own path. The shared ones only get the attempt back. */
const FORGIVEN_ON_SUCCESS: ReadonlySet<Counter> = new Set(['device', 'accountAtAddress']);

interface Counted {
  key: string;
  counter: Counter;
}

/** Whoever is trying: the client address (as `trust proxy` resolved it) and the device cookie it sent. */
export interface LoginClient {
  ip: string;
  deviceCookie?: string;
}

/** A login's place in its counters, taken before the password is compared. */
export interface LoginAttempt {
  /** The password was right: forgive this path's failures. */
  succeeded(): Promise<void>;
  /** No password was compared (busy, database down): give the attempt back. */
  abandon(): Promise<void>;
}

// Atomic check-and-count: refuses when any counter is at its limit (answering which one and its
// PTTL), else counts the attempt in every counter. So N parallel guesses stop exactly at the limit.
const RESERVE = `
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[i * 2]) then return {i, redis.call('PTTL', key)} end
end
for i, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, ARGV[i * 2 - 1]) end
end
return {0, 0}`;
// Gives an attempt back: deletes the forgiven counters (ARGV[i] = '1'), decrements the others.
const RELEASE = `
for i, key in ipairs(KEYS) do
  if ARGV[i] == '1' then redis.call('DEL', key)
  elseif redis.call('EXISTS', key) == 1 and tonumber(redis.call('DECR', key)) <= 0 then redis.call('DEL', key) end
end`;

interface AttemptStore {
  /** The refusing counter's index and ms until it resets, or undefined when counted. */
  reserve(keys: Counted[]): Promise<{ index: number; retryMs: number } | undefined>;
  release(keys: Counted[], forgive: boolean): Promise<void>;
}

/** Shared by every replica, so an attacker gains nothing by spreading attempts over the cluster. */
class RedisAttemptStore implements AttemptStore {
  constructor(private readonly redis: RedisConnections) {}
  async reserve(keys: Counted[]) {
    const args = keys.flatMap(({ counter }) => [LIMITS[counter].windowMs, LIMITS[counter].limit]);
    const [index, retryMs] = (await this.redis.client.eval(RESERVE, keys.length, ...keys.map((k) => k.key), ...args)) as [number, number];
    return index ? { index: index - 1, retryMs } : undefined;
  }
  async release(keys: Counted[], forgive: boolean) {
    const flags = keys.map(({ counter }) => (forgive && FORGIVEN_ON_SUCCESS.has(counter) ? '1' : '0'));
    await this.redis.client.eval(RELEASE, keys.length, ...keys.map((k) => k.key), ...flags);
  }
}

/** Single-node mode (no Redis): the same counts in this process. */
class MemoryAttemptStore implements AttemptStore {
  private readonly entries = new Map<string, { count: number; resetAt: number }>();
  async reserve(keys: Counted[]) {
    const now = Date.now();
    for (const [index, { key, counter }] of keys.entries()) {
      const entry = this.live(key, now);
      if (entry && entry.count >= LIMITS[counter].limit) return { index, retryMs: entry.resetAt - now };
    }
    for (const { key, counter } of keys) {
      const entry = this.live(key, now) ?? { count: 0, resetAt: now + LIMITS[counter].windowMs };
      this.entries.set(key, { ...entry, count: entry.count + 1 });
    }
    return undefined;
  }
  async release(keys: Counted[], forgive: boolean) {
    for (const { key, counter } of keys) {
      const entry = this.live(key, Date.now());
      if (!entry) continue;
      if ((forgive && FORGIVEN_ON_SUCCESS.has(counter)) || entry.count <= 1) this.entries.delete(key);
      else entry.count--;
    }
  }
  private live(key: string, now: number) {
    const entry = this.entries.get(key);
    if (entry && entry.resetAt <= now) this.entries.delete(key);
    return this.entries.get(key);
  }
}

/** Counts logins before their password is compared; `429 rate_limited` once a counter is full. */
@Injectable()
export class LoginAttemptsService {
  private readonly logger = new Logger('LoginAttempts');
  private readonly store: AttemptStore;
  private readonly prefix: string;

  constructor(
    redis: RedisConnections,
    private readonly devices: LoginDeviceCookies,
  ) {
    this.store = redis.enabled ? new RedisAttemptStore(redis) : new MemoryAttemptStore();
    // One hash tag for every counter: an attempt's counters are checked in one script, which a Redis Cluster runs only within one slot.
    this.prefix = `${redis.keyPrefix}:{login-attempts}:`;
  }

  async begin(email: string, client: LoginClient): Promise<LoginAttempt> {
    const keys = this.countersFor(email.toLowerCase(), client);
    const refused = await this.safely(() => this.store.reserve(keys), undefined);
    if (refused) {
      const seconds = Math.max(1, Math.ceil(refused.retryMs / 1000));
      throw AppError.rateLimited(`Too many failed logins, try again in ${seconds} s`).retryAfter(seconds);
    }
    return {
      succeeded: () => this.safely(() => this.store.release(keys, true), undefined),
      abandon: () => this.safely(() => this.store.release(keys, false), undefined),
    };
  }

  private countersFor(email: string, { ip, deviceCookie }: LoginClient): Counted[] {
    const device = this.devices.verify(email, deviceCookie);
    const counted = (counter: Counter, id: string) => ({ counter, key: `${this.prefix}${counter}:${id}` });
    if (device) return [counted('device', device)];
    return [counted('accountAtAddress', `${email}|${ip}`), counted('address', ip), counted('account', email)];
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
