import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@retail/config';
import { RedisConnections, type RedisClient } from '@retail/redis';

const WINDOW_MS = 60_000;
// A replay can wait for its budget longer than a request for its rate limit: under a storm of
// replays the event loop is busy, and answers read late must not read as Redis being down.
const COMMAND_TIMEOUT_MS = 2_000;

// KEYS[1]: the user's replay counter of this minute. ARGV[1]: the cap, ARGV[2..]: each room's events.
// Grants the rooms, in order, that still fit; counts what it granted.
const GRANT = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local granted = {}
for i = 2, #ARGV do
  local events = tonumber(ARGV[i])
  if used + events <= tonumber(ARGV[1]) then used = used + events; granted[i - 1] = 1 else granted[i - 1] = 0 end
end
redis.call('SET', KEYS[1], used, 'KEEPTTL')
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ${WINDOW_MS}) end
return granted`;

/**
 * How many events one user's sockets may have replayed per minute, cluster-wide
 * (REPLAY_EVENTS_PER_USER_PER_MINUTE): a replay reads the database and fills the socket, and a
 * thousand screens of one account resuming long histories at once would swamp both. A room past
 * the cap is not replayed: it gets `resume.reset` `replay_limited`, and the client reloads it over
 * REST. Without Redis, or while it is down, each replica counts its own (fails open, fast).
 */
@Injectable()
export class ReplayBudget {
  private readonly logger = new Logger('ReplayBudget');
  private readonly cap: number;
  private readonly local = new Map<string, { used: number; until: number }>();
  private readonly client?: RedisClient;

  constructor(
    config: AppConfig,
    private readonly redis: RedisConnections,
  ) {
    this.cap = config.websocket.replayEventsPerUserPerMinute;
    // Its own connection, opened at boot: no offline queue (Redis down fails at once), a lenient timeout.
    if (redis.enabled && this.cap > 0) {
      this.client = redis.create('replay-budget', {
        enableOfflineQueue: false,
        commandTimeout: COMMAND_TIMEOUT_MS,
        maxRetriesPerRequest: 0,
      });
    }
  }

  /** For each room's count of events to replay, in order: whether it fits in what the user has left this minute. */
  async grant(userId: string, events: number[]): Promise<boolean[]> {
    if (this.cap === 0 || !events.length) return events.map(() => true);
    if (!this.client) return this.grantLocally(userId, events);
    try {
      const granted = (await this.client.eval(GRANT, 1, `${this.redis.keyPrefix}:replay:user:${userId}`, this.cap, ...events)) as number[];
      return granted.map((flag) => flag === 1);
    } catch (error) {
      this.logger.warn(`replay budget unavailable, counting this replica only: ${(error as Error).message}`);
      return this.grantLocally(userId, events);
    }
  }

  private grantLocally(userId: string, events: number[]): boolean[] {
    const now = Date.now();
    for (const [id, window] of this.local) if (window.until <= now) this.local.delete(id);
    const window = this.local.get(userId) ?? this.local.set(userId, { used: 0, until: now + WINDOW_MS }).get(userId)!;
    return events.map((count) => {
      if (window.used + count > this.cap) return false;
      window.used += count;
      return true;
    });
  }
}
