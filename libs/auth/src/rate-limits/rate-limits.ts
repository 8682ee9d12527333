import { type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import {
  SkipThrottle,
  ThrottlerGuard,
  ThrottlerModule,
  ThrottlerStorage,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerOptions,
} from '@nestjs/throttler';
import type { Request } from 'express';
import { LRUCache } from 'lru-cache';
import { AppError } from '@retail/common';
import { AppConfig } from '@retail/config';
import { RedisConnections } from '@retail/redis';
import type { Principal } from '../principal.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

/**
 * Limits are per second, counted over a 5 s window: a till's or an integration's burst of a few
 * seconds' worth passes, a sustained excess gets `429 rate_limited` with `Retry-After`.
 */
const WINDOW_SECONDS = 5;
const WINDOW_MS = WINDOW_SECONDS * 1000;

const principalOf = (context: ExecutionContext) => context.switchToHttp().getRequest<Request & { user?: Principal }>().user;

type Caller = Pick<Principal, 'userId' | 'companyId'>;

/**
 * The two budgets every authenticated call counts against, REST request or socket handshake and command:
 * - `user`: per user, so one runaway client cannot use its company's whole budget;
 * - `company`: per company, over all its users and devices, so one busy chain cannot starve another
 *   of the cluster's capacity.
 */
const BUDGETS = [
  { name: 'user', tracker: (caller: Caller) => `user:${caller.userId}`, perSecond: (config: AppConfig) => config.rateLimits.userPerSecond },
  {
    name: 'company',
    tracker: (caller: Caller) => `company:${caller.companyId}`,
    perSecond: (config: AppConfig) => config.rateLimits.companyPerSecond,
  },
] as const;
const [USER, COMPANY] = BUDGETS;

const counterKey = (redis: RedisConnections, tracker: string) => `${redis.keyPrefix}:rate:${tracker}`;

/** The budgets as throttlers, after authentication (the guard runs after AuthGuard); unauthenticated routes (login, docs) count per client address. */
function throttlers(config: AppConfig): ThrottlerOptions[] {
  const [userPerSecond, companyPerSecond] = [USER.perSecond(config), COMPANY.perSecond(config)];
  return [
    {
      name: USER.name,
      ttl: WINDOW_MS,
      limit: userPerSecond * WINDOW_SECONDS,
      skipIf: () => userPerSecond === 0,
      getTracker: (req) => (req.user ? USER.tracker(req.user as Principal) : `address:${req.ip}`),
    },
    {
      name: COMPANY.name,
      ttl: WINDOW_MS,
      limit: companyPerSecond * WINDOW_SECONDS,
      skipIf: (context) => companyPerSecond === 0 || !principalOf(context),
      getTracker: (req) => COMPANY.tracker(req.user as Principal),
    },
  ];
}

export const RateLimitsModule = ThrottlerModule.forRootAsync({
  inject: [AppConfig, RedisConnections],
  useFactory: (config: AppConfig, redis: RedisConnections): ThrottlerModuleOptions => ({
    throttlers: throttlers(config),
    // Not per route: a user's budget covers every endpoint.
    generateKey: (_context, tracker) => counterKey(redis, tracker),
    setHeaders: false,
    // Without Redis (a single node) the throttler's own in-memory storage counts.
    ...(redis.enabled ? { storage: new RedisThrottlerStorage(redis) } : {}),
  }),
});

const tooManyRequests = (retryAfterSeconds: number) =>
  AppError.rateLimited('Too many requests, slow down').retryAfter(Math.max(1, retryAfterSeconds));

/**
 * The REST budgets, for what is not an HTTP request: a socket handshake or command counts one
 * against its user's and its company's counters, the very ones the HTTP throttler counts (same
 * keys, same storage, same window).
 *
 * Each replica also counts the same windows itself and refuses past the limit without asking
 * Redis. The shared storage lets a call through when Redis does not answer in time, and a flood of
 * socket commands is what keeps a replica too busy to read Redis's answers: without its own count
 * the flood would lift its own limit. So no user exceeds a budget on any one replica, Redis or not.
 */
@Injectable()
export class RateBudgets {
  private readonly counted = new LRUCache<string, { hits: number }>({ max: 100_000, ttl: WINDOW_MS });

  constructor(
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    private readonly config: AppConfig,
    private readonly redis: RedisConnections,
  ) {}

  /** Counts one call; throws `429 rate_limited` (with `retryAfterSeconds`) once the user's or the company's budget is spent. */
  async take(caller: Caller): Promise<void> {
    for (const budget of BUDGETS) {
      const perSecond = budget.perSecond(this.config);
      if (perSecond === 0) continue;
      const limit = perSecond * WINDOW_SECONDS;
      const key = counterKey(this.redis, budget.tracker(caller));
      if (this.countHere(key) > limit) throw tooManyRequests(Math.ceil(this.counted.getRemainingTTL(key) / 1000));
      const hit = await this.storage.increment(key, WINDOW_MS, limit, WINDOW_MS, budget.name);
      if (hit.isBlocked) throw tooManyRequests(hit.timeToBlockExpire);
    }
  }

  /** This replica's count of the key's window, this call included. */
  private countHere(key: string): number {
    const window = this.counted.get(key) ?? this.counted.set(key, { hits: 0 }).get(key)!;
    return ++window.hits;
  }
}

/** Global HTTP guard after AuthGuard; answers in the standard error shape. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http';
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw tooManyRequests(detail.timeToBlockExpire);
  }
}

/** For probes and scrapers (health, metrics): a balancer must never be told to slow down. */
export const NoRateLimit = () => SkipThrottle({ user: true, company: true });
