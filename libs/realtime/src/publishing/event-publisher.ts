import { Injectable, Logger } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import { MetricsService } from '@retail/observability';
import { RedisConnections } from '@retail/redis';
import { adapterKey } from '../adapter/adapter-key.js';
import type { RealtimeEnvelope } from '@retail/realtime-protocol';
import { SocketServerRegistry } from './socket-server.registry.js';

/**
 * Puts an envelope on the wire for a set of rooms. A replica serving sockets emits through its
 * own namespaces (the Redis adapter fans out to the other replicas); a REST-only replica
 * (WEBSOCKET_ENABLED=false) publishes through Redis with the socket.io emitter.
 * Emitting to several rooms at once delivers to each socket once.
 */
@Injectable()
export class EventPublisher {
  private readonly logger = new Logger('EventPublisher');
  private emitter?: Emitter;

  constructor(
    private readonly registry: SocketServerRegistry,
    private readonly redis: RedisConnections,
    private readonly metrics: MetricsService,
  ) {}

  publish(namespacePath: string, rooms: string[], envelope: RealtimeEnvelope, except: string[] = []): void {
    if (!rooms.length) return;
    const namespace = this.registry.get(namespacePath);
    if (namespace) {
      namespace.to(rooms).except(except).emit(envelope.type, envelope);
    } else if (this.redis.enabled) {
      // Its own connection, with ioredis' offline queue: the emitter cannot take a rejected publish,
      // and the request-path client fails fast while Redis is down.
      this.emitter ??= new Emitter(this.redis.create('emitter'), { key: adapterKey(this.redis.keyPrefix) });
      this.emitter.of(namespacePath).to(rooms).except(except).emit(envelope.type, envelope);
    } else {
      this.logger.debug(`No socket server and no Redis: ${envelope.type} has no audience`);
      return;
    }
    this.metrics.eventsEmitted.inc({ type: envelope.type });
  }
}
