import { createServer } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { defer, filter, type Observable } from 'rxjs';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import { AppConfig } from '@retail/config';
import { NAMESPACES } from '@retail/realtime-protocol';
import { RedisConnections } from '@retail/redis';
import { HandshakeRefusal } from '../handshake/handshake.middleware.js';
import { SocketDrain } from '../sessions/socket-drain.js';
import { adapterKey } from './adapter-key.js';

// Client messages are small commands; anything larger is refused by Engine.IO before parsing.
const MAX_MESSAGE_BYTES = 64 * 1024;
const ROOT_REFUSED = `Nothing is served on /; connect to ${Object.values(NAMESPACES)
  .map(({ path }) => path)
  .join(', ')}`;

/**
 * One Socket.IO server per replica, on the HTTP server or on WEBSOCKET_PORT. With Redis it uses
 * the Redis adapter so rooms and broadcasts span every replica: the classic one (PUBLISH, which a
 * Redis Cluster copies to every node) or, with REDIS_ADAPTER=sharded, the sharded one (SPUBLISH,
 * handled by the one shard that owns the channel).
 */
export class RealtimeIoAdapter extends IoAdapter {
  private readonly config: AppConfig;
  private readonly redis: RedisConnections;
  private readonly drain: SocketDrain;

  constructor(app: INestApplicationContext) {
    super(app);
    this.config = app.get(AppConfig);
    this.redis = app.get(RedisConnections);
    this.drain = app.get(SocketDrain);
  }

  override createIOServer(_port: number, options?: Partial<ServerOptions>): Server {
    const origins = this.config.cors.origins;
    const serverOptions: Partial<ServerOptions> = {
      ...options,
      maxHttpBufferSize: MAX_MESSAGE_BYTES,
      serveClient: false,
      // CORS_ORIGINS, as for REST. CORS covers long-polling; a browser's WebSocket upgrade is not
      // subject to it, so its Origin is checked here too. Non-browser clients send no Origin.
      cors: { origin: origins === '*' ? true : origins, credentials: false },
      allowRequest: (req, done) => {
        // A draining replica takes no new connections; their clients retry and land elsewhere.
        if (!this.drain.accepting) return done('server_shutdown', false);
        const origin = req.headers.origin;
        done(null, origins === '*' || origin === undefined || origins.includes(origin));
      },
    };
    const server = this.config.websocket.sharesHttpServer ? new Server(this.httpServer, serverOptions) : this.ownPortServer(serverOptions);
    if (this.redis.enabled) server.adapter(this.redisAdapter());
    // Socket.IO always serves `/`; nothing of ours is there, so nobody may connect to it (no token, no cap otherwise).
    server.of('/').use((_socket, next) => next(new HandshakeRefusal('namespace_refused', ROOT_REFUSED)));
    return server;
  }

  /**
   * Nest's own binding keeps an rxjs pipeline per socket and message, about 20 KB an idle socket,
   * most of what one costs. Plain listeners do the same per message: run the handler, then answer
   * through the ack (or emit an `{event, data}` response), and log a handler's error.
   */
  override bindMessageHandlers(socket: Socket, handlers: MessageMappingProperties[], transform: (data: any) => Observable<any>): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(message, (...args: unknown[]) => {
        // The payload as rxjs' fromEvent gives it to Nest's binding: one argument alone, several as an array.
        const { data, ack } = this.mapPayload(args.length > 1 ? args : args[0]);
        defer(() => transform(callback(data, ack)))
          .pipe(filter((response) => response !== null && response !== undefined))
          .subscribe({
            next: (response) => {
              if (response.event) return void socket.emit(response.event, response.data);
              if (!isAckHandledManually && typeof ack === 'function') ack(response);
            },
            error: (error: unknown) => this.logger.error(error),
          });
      });
    }
  }

  /** Sockets on WEBSOCKET_PORT, on the same interface as HTTP (HOST). `server.close()` closes it. */
  private ownPortServer(options: Partial<ServerOptions>): Server {
    const http = createServer();
    const server = new Server(http, options);
    http.listen(this.config.websocket.port, this.config.http.host);
    return server;
  }

  private redisAdapter() {
    const pub = this.redis.create('io-pub');
    if (!this.redis.sharded) {
      return createAdapter(pub, this.redis.create('io-sub'), { key: adapterKey(this.redis.keyPrefix), requestsTimeout: 5_000 });
    }
    // 'dynamic': a channel per room too, so each shard carries only the rooms it owns.
    const sub = this.redis.create('io-sub', { shardedSubscribers: true });
    return createShardedAdapter(pub, sub, { channelPrefix: adapterKey(this.redis.keyPrefix), subscriptionMode: 'dynamic' });
  }
}
