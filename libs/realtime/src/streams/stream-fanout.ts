import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@retail/config';
import { MetricsService } from '@retail/observability';
import type { RealtimeEnvelope } from '@retail/realtime-protocol';
import { RedisConnections, type RedisClient } from '@retail/redis';
import { SocketServerRegistry } from '../publishing/socket-server.registry.js';
import { ReplayHolds } from './replay-holds.js';
import type { StreamEvent } from './stream-store.js';

interface FanoutMessage {
  origin: string;
  events: Array<{ namespace: string; rooms: string[]; envelope: RealtimeEnvelope }>;
}

/**
 * Takes relayed events to every replica's sockets: this replica's directly, the others' through
 * one Redis channel, in relay order (one publisher). Each replica emits to its own sockets.
 * With REDIS_ADAPTER=sharded the channel is a sharded one (SPUBLISH): on a Redis Cluster only the
 * shard that owns it carries it, instead of every node.
 */
@Injectable()
export class StreamFanout implements OnModuleInit {
  private readonly logger = new Logger('StreamFanout');
  private readonly origin = randomUUID();
  /** How this replica's own messages begin: `origin` is the first key a message is written with. */
  private readonly ownPrefix = JSON.stringify({ origin: this.origin }).slice(0, -1);
  private publisher?: RedisClient;

  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisConnections,
    private readonly registry: SocketServerRegistry,
    private readonly holds: ReplayHolds,
    private readonly metrics: MetricsService,
  ) {}

  private get channel() {
    return `${this.redis.keyPrefix}:streams`;
  }

  onModuleInit(): void {
    if (!this.redis.enabled || !this.config.streams.enabled) return;
    // No offline queue: while Redis is down a publish fails at once and the relay retries it.
    this.publisher = this.redis.create('streams-pub', { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    if (!this.config.websocket.enabled) return;
    this.redis.subscribe('streams-sub', this.channel, (raw) => this.receive(raw));
  }

  /** This replica's own sockets: no network in between, so they get events even while Redis is down. */
  deliverHere(events: StreamEvent[]): void {
    this.deliver(events);
  }

  /** To the other replicas; rejects at once when Redis cannot take it. */
  async publishToOthers(events: StreamEvent[]): Promise<void> {
    if (!this.publisher) return;
    const message: FanoutMessage = {
      origin: this.origin,
      events: events.map(({ namespace, rooms, envelope }) => ({ namespace, rooms, envelope })),
    };
    const raw = JSON.stringify(message);
    await this.redis.publish(this.publisher, this.channel, raw);
  }

  private receive(raw: string): void {
    // This replica's own batch was delivered here already: told by its first bytes, never parsed.
    if (raw.startsWith(this.ownPrefix)) return;
    this.deliver((JSON.parse(raw) as FanoutMessage).events);
  }

  private deliver(events: FanoutMessage['events']): void {
    for (const { namespace, rooms, envelope } of events) {
      const served = this.registry.get(namespace);
      if (!served) continue;
      this.holds.deliver(served, rooms, envelope);
      this.metrics.eventsEmitted.inc({ type: envelope.type });
    }
  }
}
