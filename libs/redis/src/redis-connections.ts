import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { AppConfig } from '@retail/config';

/**
 * Owns every ioredis connection of the process, so shutdown closes them all.
 * `enabled` is false when REDIS_URL is empty (single-node mode).
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
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

  /** A general-purpose connection for commands (not for SUBSCRIBE). */
  get client(): Redis {
    this.shared ??= this.create('shared');
    return this.shared;
  }

  /** A new dedicated connection, e.g. for pub/sub or blocking commands. */
  create(name: string, options: RedisOptions = {}): Redis {
    if (!this.config.redis.url) throw new Error('REDIS_URL is not configured');
    const client = new Redis(this.config.redis.url, { connectionName: `${this.keyPrefix}:${name}`, ...options });
    client.on('error', (error) => this.logger.warn(`${name}: ${error.message}`));
    this.clients.add(client);
    return client;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.clients].map((c) => c.quit().catch(() => c.disconnect())));
    this.clients.clear();
    this.shared = undefined;
  }
}
