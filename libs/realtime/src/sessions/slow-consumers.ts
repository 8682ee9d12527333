import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@retail/config';
import { MetricsService } from '@retail/observability';
import { endSession } from '../handshake/end-session.js';
import { engineConnection } from '../handshake/engine-connection.js';
import type { AuthedSocket } from '../handshake/socket-context.js';
import { SocketServerRegistry } from '../publishing/socket-server.registry.js';

// Often enough that a socket cannot pile up much past the cap between two looks; a look costs a
// few property reads per connection.
const CHECK_EVERY_MS = 1_000;

/**
 * A client that stops reading (while its connection stays open) makes engine.io buffer everything
 * sent to it, without limit, until the replica runs out of memory. Once a second this ends every
 * connection holding more than SOCKET_MAX_BUFFERED_BYTES unsent, `slow_consumer`; the client
 * library reconnects and resumes from where it was.
 */
@Injectable()
export class SlowConsumerWatch implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('SlowConsumers');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    private readonly registry: SocketServerRegistry,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => this.check(), CHECK_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private check(): void {
    const cap = this.config.websocket.maxBufferedBytes;
    let largest = 0;
    for (const sockets of this.registry.connections().values()) {
      const buffered = bufferedBytes(sockets[0]);
      largest = Math.max(largest, buffered);
      if (buffered <= cap) continue;
      this.logger.warn(`Disconnecting a slow consumer: ${buffered} bytes unsent (cap ${cap})`);
      for (const socket of sockets) {
        this.metrics.slowConsumerDisconnects.inc({ namespace: socket.nsp.name });
        endSession(socket, 'slow_consumer', `More than ${cap} bytes were waiting to be sent to this connection`);
      }
      // A peer that reads nothing reads no close frame either: ws would hold the connection, and all
      // it buffered, for its 30 s close timeout. Drop it now.
      engineConnection(sockets[0]).transport.socket?.terminate?.();
    }
    this.metrics.largestSocketBacklog.set(largest);
  }
}

/**
 * What waits to be sent on a socket's connection: engine.io's packets not yet handed to the
 * transport, plus, on a websocket, what ws and the TCP socket hold (`bufferedAmount`). String
 * lengths stand in for bytes: cheap, and close.
 */
function bufferedBytes(socket: AuthedSocket): number {
  const connection = engineConnection(socket);
  let bytes = connection.transport.socket?.bufferedAmount ?? 0;
  for (const packet of connection.writeBuffer) bytes += packetLength(packet.data);
  return bytes;
}

const packetLength = (data: unknown) => (typeof data === 'string' || Buffer.isBuffer(data) ? data.length : 0);
