import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { AppConfig } from '@retail/config';

// How long boot waits for the first connection: long enough to start connected when Redis is up,
// short enough that a replica still starts, and serves REST, while it is down.
const BOOT_CONNECT_WAIT_MS = 1_000;

/**
 * Owns every ioredis connection of the process, so shutdown closes them all.
 * `enabled` is false when REDIS_URL is empty (single-node mode).
 */
@Injectable()
export class RedisConnections implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private readonly clients = new Set<Redis>();
  private shared?: Redis;

  constructor(private readonly config: AppConfig) {}

  get enabled(): boolean {
    return Boolean(this.config.redis.url);
  }

  get keyPrefix(): string {
    return this.config.redis.keyPrefix;
  }

  /**
   * The connection for commands on a request path (not for SUBSCRIBE). It fails fast instead of
   * queueing: no offline queue (a command while disconnected fails at once), a short command
   * timeout, no retry of a command cut off by a disconnect. Callers degrade without Redis.
   */
  get client(): Redis {
    this.shared ??= this.create('shared', {
      enableOfflineQueue: false,
      commandTimeout: this.config.redis.commandTimeoutMs,
      maxRetriesPerRequest: 0,
    });
    return this.shared;
  }

  /**
   * A new dedicated connection, e.g. for pub/sub or blocking commands. It keeps ioredis' defaults
   * (commands wait in the offline queue until it reconnects); BullMQ needs `maxRetriesPerRequest: null`.
   */
  create(name: string, options: RedisOptions = {}): Redis {
    if (!this.config.redis.url) throw new Error('REDIS_URL is not configured');
    const client = new Redis(this.config.redis.url, { connectionName: `${this.keyPrefix}:${name}`, ...options });
    client.on('error', (error) => this.logger.warn(`${name}: ${error.message}`));
    this.clients.add(client);
    return client;
  }

  /** Connects the shared client at boot, waiting briefly for it; ioredis keeps reconnecting after that. */
  async onModuleInit(): Promise<void> {
    if (!this.enabled) return;
    const connected = once(this.client, 'ready').then(
      () => true,
      () => false, // an 'error' first: Redis refused the connection
    );
    const ready = await Promise.race([connected, sleep(BOOT_CONNECT_WAIT_MS, false, { ref: false })]);
    if (!ready) this.logger.warn('Redis is unreachable: starting without it, and reconnecting in the background');
  }

  async onApplicationShutdown(): Promise<void> {
    // QUIT lets pending replies arrive; on a client that is not connected it could wait in the offline queue forever.
    const close = (c: Redis) => (c.status === 'ready' ? c.quit().then(undefined, () => c.disconnect()) : c.disconnect());
    await Promise.allSettled([...this.clients].map(close));
    this.clients.clear();
    this.shared = undefined;
  }
}
