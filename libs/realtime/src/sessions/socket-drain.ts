import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { MetricsService } from '@retail/observability';
import { endSession } from '../handshake/end-session.js';
import { SocketServerRegistry } from '../publishing/socket-server.registry.js';

// Batches per second: small enough batches that reconnects arrive at the other replicas as a
// steady stream, not as one storm.
const BATCHES_PER_SECOND = 10;

/**
 * Empties this replica of sockets before it stops. New connections are refused from the start
 * (engine.io answers their handshake 403; the client retries, through the balancer, elsewhere);
 * then the open ones are ended, `server_shutdown`, in even batches over the drain time, so their
 * reconnects (and resumes) spread over the surviving replicas.
 */
@Injectable()
export class SocketDrain {
  private readonly logger = new Logger('SocketDrain');
  private draining = false;

  constructor(
    private readonly registry: SocketServerRegistry,
    private readonly metrics: MetricsService,
  ) {}

  /** For engine.io's `allowRequest`: whether a new connection may open. */
  get accepting(): boolean {
    return !this.draining;
  }

  async drain(seconds: number): Promise<void> {
    this.draining = true;
    const connections = [...this.registry.connections().values()];
    if (!connections.length) return;
    const batches = Math.min(connections.length, Math.max(1, Math.ceil(seconds * BATCHES_PER_SECOND)));
    const pauseMs = (seconds * 1000) / batches;
    this.logger.log(`Draining ${connections.length} connections over ${seconds} s`);
    for (let batch = 0; batch < batches; batch++) {
      if (batch > 0) await sleep(pauseMs);
      const slice = connections.slice(
        Math.floor((batch * connections.length) / batches),
        Math.floor(((batch + 1) * connections.length) / batches),
      );
      for (const sockets of slice) {
        for (const socket of sockets.filter((s) => s.connected)) {
          this.metrics.drainDisconnects.inc({ namespace: socket.nsp.name });
          endSession(socket, 'server_shutdown', 'This server is shutting down; reconnect to another');
        }
      }
    }
  }
}
