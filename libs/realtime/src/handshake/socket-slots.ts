import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { AppError } from '@retail/common';
import { AppConfig } from '@retail/config';
import { RedisConnections } from '@retail/redis';
import { onceGone } from './socket-gone.js';

// A replica renews its sockets' slots every HEARTBEAT_MS; a crashed replica's expire after SLOT_TTL_MS.
const SLOT_TTL_MS = 60_000;
const HEARTBEAT_MS = 20_000;

// KEYS[1]: the user's sorted set of socket ids scored by expiry. ARGV: now, expiry, socket id, max.
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ${SLOT_TTL_MS})
return 1`;

interface Slot {
  key: string;
  socketId: string;
}

/**
 * Caps a user's sockets per namespace (SOCKETS_PER_USER_MAX), cluster-wide with Redis, so one
 * account cannot hold unbounded connections. Refused at the handshake: `too_many_sockets`. Without
 * Redis, or while it is down, it counts this replica's sockets only (fails open, fast).
 */
@Injectable()
export class SocketSlots implements OnModuleDestroy {
  private readonly logger = new Logger('SocketSlots');
  private readonly held = new Map<Socket, Slot>();
  private readonly max: number;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    config: AppConfig,
    private readonly redis: RedisConnections,
  ) {
    this.max = config.websocket.socketsPerUserMax;
    this.heartbeat = setInterval(() => void this.renew(), HEARTBEAT_MS).unref();
  }

  /** Takes a slot for the socket until it is gone; throws `too_many_sockets` past the cap. */
  async acquire(socket: Socket, namespace: string, userId: string): Promise<void> {
    // One hash tag for every user's set: the renewal pipelines them all, which a Redis Cluster allows only within one slot.
    const slot = { key: `${this.redis.keyPrefix}:{sockets}:${namespace}:${userId}`, socketId: socket.id };
    if (!(await this.take(slot))) {
      throw new AppError(429, 'too_many_sockets', `At most ${this.max} sockets per user on ${namespace}`);
    }
    this.held.set(socket, slot);
    onceGone(socket, () => void this.release(socket));
  }

  onModuleDestroy() {
    clearInterval(this.heartbeat);
  }

  private async take(slot: Slot): Promise<boolean> {
    if (!this.redis.enabled) return this.localCount(slot.key) < this.max;
    const now = Date.now();
    try {
      return (await this.redis.client.eval(ACQUIRE, 1, slot.key, now, now + SLOT_TTL_MS, slot.socketId, this.max)) === 1;
    } catch (error) {
      this.logger.warn(`socket cap unavailable, counting this replica only: ${(error as Error).message}`);
      return this.localCount(slot.key) < this.max;
    }
  }

  private async release(socket: Socket) {
    const slot = this.held.get(socket);
    this.held.delete(socket);
    if (!slot || !this.redis.enabled) return;
    await this.redis.client.zrem(slot.key, slot.socketId).catch(() => undefined); // expires anyway
  }

  /** Pushes the expiry of every slot this replica holds; re-adds those an outage or restart of Redis lost. */
  private async renew() {
    if (!this.redis.enabled || this.held.size === 0) return;
    const expiry = Date.now() + SLOT_TTL_MS;
    const pipeline = this.redis.client.pipeline();
    for (const { key, socketId } of this.held.values()) pipeline.zadd(key, expiry, socketId).pexpire(key, SLOT_TTL_MS);
    await pipeline.exec().catch((error: Error) => this.logger.warn(`socket slots not renewed: ${error.message}`));
  }

  private localCount(key: string) {
    let count = 0;
    for (const slot of this.held.values()) if (slot.key === key) count++;
    return count;
  }
}
