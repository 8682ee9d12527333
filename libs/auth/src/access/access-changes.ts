import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { z } from 'zod';
import { afterCommit, type Tx } from '@retail/database';
import { RedisConnections } from '@retail/redis';

/** Whose access changed: users (role, stores, disabled), POS devices (moved, retired) and login sessions (ended). */
export interface AccessChange {
  userIds: string[];
  deviceIds: string[];
  sessionIds: string[];
}
export type AccessChangeListener = (change: AccessChange) => unknown;

const Message = z.object({
  origin: z.string(),
  userIds: z.array(z.string()),
  deviceIds: z.array(z.string()),
  sessionIds: z.array(z.string()).default([]),
});

/**
 * "Access changed" notifications, on every replica: Redis pub/sub between replicas, and straight
 * to this replica's listeners (also in single-node mode, without Redis). The access cache and the
 * live sockets listen; domain modules only announce.
 */
@Injectable()
export class AccessChanges implements OnModuleInit {
  private readonly logger = new Logger('AccessChanges');
  private readonly listeners: AccessChangeListener[] = [];
  /** Tells this replica's own messages apart: it delivered them already. */
  private readonly origin = randomUUID();

  constructor(private readonly redis: RedisConnections) {}

  private get channel(): string {
    return `${this.redis.keyPrefix}:access-changed`;
  }

  onChanged(listener: AccessChangeListener): void {
    this.listeners.push(listener);
  }

  /** Announces the change once `tx` commits: before that, a re-read would still see the old access. */
  announceAfterCommit(tx: Tx, change: Partial<AccessChange>): void {
    afterCommit(tx, () => this.announce(change));
  }

  async announce({ userIds = [], deviceIds = [], sessionIds = [] }: Partial<AccessChange>): Promise<void> {
    const change = { userIds, deviceIds, sessionIds };
    // This replica first, before the answer of the change leaves it.
    this.deliver(change);
    if (!this.redis.enabled) return;
    try {
      await this.redis.publish(this.redis.client, this.channel, JSON.stringify({ origin: this.origin, ...change }));
    } catch (error) {
      // Other replicas' caches still expire within seconds; their live sockets keep their rooms until then.
      this.logger.error(`could not announce an access change to other replicas: ${(error as Error).message}`);
    }
  }

  onModuleInit(): void {
    if (!this.redis.enabled) return;
    this.redis.subscribe('access-changes', this.channel, (raw) => this.receive(raw));
  }

  private receive(raw: string): void {
    let message: z.infer<typeof Message>;
    try {
      message = Message.parse(JSON.parse(raw));
    } catch {
      this.logger.warn('ignored a malformed access-change message');
      return;
    }
    const { origin, ...change } = message;
    if (origin !== this.origin) this.deliver(change);
  }

  /** Synchronously and in order: the access cache (registered first) is dropped before sockets re-resolve. */
  private deliver(change: AccessChange): void {
    const failed = (error: Error) => this.logger.error(`access-change listener failed: ${error.message}`);
    for (const listener of this.listeners) {
      try {
        Promise.resolve(listener(change)).catch(failed);
      } catch (error) {
        failed(error as Error);
      }
    }
  }
}
