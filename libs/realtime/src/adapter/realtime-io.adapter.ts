import { createServer } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server, type ServerOptions } from 'socket.io';
import { AppConfig } from '@retail/config';
import { RedisConnections } from '@retail/redis';
import { adapterKey } from './adapter-key.js';

// Client messages are small commands; anything larger is refused by Engine.IO before parsing.
const MAX_MESSAGE_BYTES = 64 * 1024;

/**
 * One Socket.IO server per replica, on the HTTP server or on WEBSOCKET_PORT. With REDIS_URL it
 * uses the Redis adapter (ioredis pub/sub) so rooms and broadcasts span every replica.
 */
export class RealtimeIoAdapter extends IoAdapter {
  private readonly config: AppConfig;
  private readonly redis: RedisConnections;

  constructor(app: INestApplicationContext) {
    super(app);
    this.config = app.get(AppConfig);
    this.redis = app.get(RedisConnections);
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
        const origin = req.headers.origin;
        done(null, origins === '*' || origin === undefined || origins.includes(origin));
      },
    };
    const server = this.config.websocket.sharesHttpServer ? new Server(this.httpServer, serverOptions) : this.ownPortServer(serverOptions);
    if (this.redis.enabled) {
      const adapter = createAdapter(this.redis.create('io-pub'), this.redis.create('io-sub'), {
        key: adapterKey(this.redis.keyPrefix),
        requestsTimeout: 5_000,
      });
      server.adapter(adapter);
    }
    return server;
  }

  /** Sockets on WEBSOCKET_PORT, on the same interface as HTTP (HOST). `server.close()` closes it. */
  private ownPortServer(options: Partial<ServerOptions>): Server {
    const http = createServer();
    const server = new Server(http, options);
    http.listen(this.config.websocket.port, this.config.http.host);
    return server;
  }
}
