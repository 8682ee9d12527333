import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { AppConfig } from '@retail/config';

// How long boot waits for the first connection: long enough to start connected when Redis is up,
// short enough that a replica still starts, and serves REST, while it is down.
const BOOT_CONNECT_WAIT_MS = 1_000;
// How long shutdown lets QUIT wait for pending replies before it drops the connection.
const QUIT_WAIT_MS = 1_000;

/** A connection to one Redis server or to a Redis Cluster: the commands are the same. */
export type RedisClient = Redis | Cluster;

export interface ConnectionOptions extends RedisOptions {
  /** On a cluster: one subscriber connection per shard, for SSUBSCRIBE (sharded pub/sub). */
  shardedSubscribers?: boolean;
}

/**
 * Owns every ioredis connection of the process, so shutdown closes them all. It connects to
 * REDIS_URL, or to the Redis Cluster named by REDIS_CLUSTER_NODES. `enabled` is false when neither
 * is set (single-node mode).
 */
@Injectable()
export class RedisConnections implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private readonly clients = new Set<RedisClient>();
  private shared?: RedisClient;

  constructor(private readonly config: AppConfig) {}

  get enabled(): boolean {
    return Boolean(this.config.redis.url ?? this.config.redis.clusterNodes);
  }

  /** A Redis Cluster: keys that one command or transaction uses together need one hash tag, `{…}`. */
  get cluster(): boolean {
    return Boolean(this.config.redis.clusterNodes);
  }

  /** SPUBLISH / SSUBSCRIBE instead of PUBLISH / SUBSCRIBE (REDIS_ADAPTER=sharded). */
  get sharded(): boolean {
    return this.config.redis.adapter === 'sharded';
  }

  get keyPrefix(): string {
    return this.config.redis.keyPrefix;
  }

  /**
   * The connection for commands on a request path (not for SUBSCRIBE). It fails fast instead of
   * queueing: no offline queue (a command while disconnected fails at once), a short command
   * timeout, no retry of a command cut off by a disconnect. Callers degrade without Redis.
   */
  get client(): RedisClient {
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
  create(name: string, { shardedSubscribers, ...options }: ConnectionOptions = {}): RedisClient {
    const { url, clusterNodes } = this.config.redis;
    const redisOptions: RedisOptions = { connectionName: `${this.keyPrefix}:${name}`, ...options };
    let client: RedisClient;
    if (clusterNodes) {
      client = new Cluster(clusterNodes, {
        redisOptions,
        enableOfflineQueue: options.enableOfflineQueue ?? true,
        shardedSubscribers: shardedSubscribers ?? false,
      });
    } else if (url) {
      client = new Redis(url, redisOptions);
    } else {
      throw new Error('Neither REDIS_URL nor REDIS_CLUSTER_NODES is configured');
    }
    client.on('error', (error: Error) => this.logger.warn(`${name}: ${error.message}`));
    this.clients.add(client);
    return client;
  }

  /**
   * A dedicated connection listening to one channel: SSUBSCRIBE with REDIS_ADAPTER=sharded (on a
   * cluster only the owning shard carries it), SUBSCRIBE otherwise. Not awaited: boot goes on
   * while Redis is down, and ioredis subscribes once it connects.
   */
  subscribe(name: string, channel: string, onMessage: (raw: string) => void): RedisClient {
    const sharded = this.sharded;
    const subscriber = this.create(name, { shardedSubscribers: sharded });
    subscriber.on(sharded ? 'smessage' : 'message', (_channel: string, raw: string) => onMessage(raw));
    const subscribed = sharded ? subscriber.ssubscribe(channel) : subscriber.subscribe(channel);
    void subscribed.catch((error: Error) => this.logger.warn(`${name}: subscribe failed: ${error.message}`));
    return subscriber;
  }

  /** Publishes on `client` the way `subscribe` listens: SPUBLISH with REDIS_ADAPTER=sharded, else PUBLISH. */
  publish(client: RedisClient, channel: string, message: string): Promise<unknown> {
    return this.sharded ? client.spublish(channel, message) : client.publish(channel, message);
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
    await Promise.allSettled([...this.clients].map(close));
    this.clients.clear();
    this.shared = undefined;
  }
}

/**
 * QUIT lets pending replies arrive, but only on a connected client (on another it could wait in the
 * offline queue forever) and only briefly (Redis may die mid-way); then the connection is dropped.
 */
async function close(client: RedisClient): Promise<void> {
  if (client.status === 'ready') {
    const quit = client.quit().then(
      () => true,
      () => false,
    );
    if (await Promise.race([quit, sleep(QUIT_WAIT_MS, false, { ref: false })])) return;
  }
  client.disconnect();
}
