import { type ExecutionContext, Injectable } from '@nestjs/common';
import {
  SkipThrottle,
  ThrottlerGuard,
  ThrottlerModule,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerOptions,
} from '@nestjs/throttler';
import type { Request } from 'express';
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

const principalOf = (context: ExecutionContext) => context.switchToHttp().getRequest<Request & { user?: Principal }>().user;

/**
 * Two counters per request, after authentication (the guard runs after AuthGuard):
 * - `user`: per user, so one runaway client cannot use its company's whole budget; unauthenticated
 *   routes (login, docs) count per client address instead;
 * - `company`: per company, over all its users and devices, so one busy chain cannot starve another
 *   of the cluster's capacity.
 */
function throttlers(config: AppConfig): ThrottlerOptions[] {
  const { userPerSecond, companyPerSecond } = config.rateLimits;
  return [
    {
      name: 'user',
      ttl: WINDOW_SECONDS * 1000,
      limit: userPerSecond * WINDOW_SECONDS,
      skipIf: () => userPerSecond === 0,
      getTracker: (req) => (req.user ? `user:${(req.user as Principal).userId}` : `address:${req.ip}`),
    },
    {
      name: 'company',
      ttl: WINDOW_SECONDS * 1000,
      limit: companyPerSecond * WINDOW_SECONDS,
      skipIf: (context) => companyPerSecond === 0 || !principalOf(context),
      getTracker: (req) => `company:${(req.user as Principal).companyId}`,
    },
  ];
}

export const RateLimitsModule = ThrottlerModule.forRootAsync({
  inject: [AppConfig, RedisConnections],
  useFactory: (config: AppConfig, redis: RedisConnections): ThrottlerModuleOptions => ({
    throttlers: throttlers(config),
    // Not per route: a user's budget covers every endpoint.
    generateKey: (_context, tracker) => `${redis.keyPrefix}:rate:${tracker}`,
    setHeaders: false,
    // Without Redis (a single node) the throttler's own in-memory storage counts.
    ...(redis.enabled ? { storage: new RedisThrottlerStorage(redis) } : {}),
  }),
});

/** Global HTTP guard after AuthGuard; answers in the standard error shape. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http';
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw AppError.rateLimited('Too many requests, slow down').retryAfter(Math.max(1, detail.timeToBlockExpire));
  }
}

/** For probes and scrapers (health, metrics): a balancer must never be told to slow down. */
export const NoRateLimit = () => SkipThrottle({ user: true, company: true });
