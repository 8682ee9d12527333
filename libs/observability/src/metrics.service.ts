import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PrismaService } from '@retail/database';

/** Every Prometheus metric of the process, on one registry served at GET /metrics. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly socketsConnected = new Gauge({
    name: 'realtime_sockets_connected',
    help: 'Sockets connected to this replica, per namespace',
    labelNames: ['namespace'] as const,
    registers: [this.registry],
  });

  readonly eventsEmitted = new Counter({
    name: 'realtime_events_emitted_total',
    help: 'Server events emitted by this replica, per event type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly handshakeRefusals = new Counter({
    name: 'realtime_handshake_refusals_total',
    help: 'Socket handshakes refused, per namespace and error code',
    labelNames: ['namespace', 'code'] as const,
    registers: [this.registry],
  });

  readonly slowConsumerDisconnects = new Counter({
    name: 'realtime_slow_consumer_disconnects_total',
    help: 'Sockets disconnected because too much was waiting to be sent to them (SOCKET_MAX_BUFFERED_BYTES), per namespace',
    labelNames: ['namespace'] as const,
    registers: [this.registry],
  });

  readonly largestSocketBacklog = new Gauge({
    name: 'realtime_socket_backlog_bytes_max',
    help: 'The most bytes waiting to be sent to any one connection of this replica, at the last check (once a second)',
    registers: [this.registry],
  });

  readonly drainDisconnects = new Counter({
    name: 'realtime_drain_disconnects_total',
    help: 'Sockets closed by a graceful shutdown (server_shutdown), per namespace',
    labelNames: ['namespace'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(prisma: PrismaService) {
    collectDefaultMetrics({ register: this.registry });
    const { statements } = prisma;
    new Counter({
      name: 'db_statements_total',
      help: 'Statements this replica sent to PostgreSQL through its request pool: work, and transaction control (BEGIN, COMMIT, ROLLBACK)',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc({ kind: 'work' }, statements.work);
        this.inc({ kind: 'transaction_control' }, statements.transactionControl);
      },
    });
  }
}
