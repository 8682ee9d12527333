import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@retail/config';
import { afterCommit, beforeCommit, PrismaService, type Db, type Tx } from '@retail/database';
import { OUTBOX_CHANNEL, StreamRelay } from './stream-relay.js';
import { StreamStore, type OutboxEvent } from './stream-store.js';

/**
 * Writes stream events into the outbox inside the transaction of the change they describe, all
 * of one transaction in one statement just before it commits: they exist if and only if the
 * change does. The commit then wakes the relay (NOTIFY for the other replicas).
 */
@Injectable()
export class EventOutbox {
  private readonly logger = new Logger('EventOutbox');
  private readonly pending = new WeakMap<Tx, OutboxEvent[]>();

  constructor(
    private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly store: StreamStore,
    private readonly relay: StreamRelay,
  ) {}

  get enabled(): boolean {
    return this.config.streams.enabled;
  }

  add(tx: Tx | null, event: OutboxEvent): void {
    if (!tx) {
      this.write(this.prisma, [event]).then(
        () => this.relay.wake(),
        (error: Error) => this.logger.error(`outbox write failed for ${event.envelope.type}: ${error.message}`),
      );
      return;
    }
    const events = this.pending.get(tx);
    if (events) {
      events.push(event);
      return;
    }
    const first = [event];
    this.pending.set(tx, first);
    beforeCommit(tx, (inTx) => this.write(inTx, first));
    afterCommit(tx, () => this.relay.wake());
  }

  private async write(db: Db, events: OutboxEvent[]): Promise<void> {
    await this.store.append(db, events, this.prisma.kind === 'postgres' ? OUTBOX_CHANNEL : null);
  }
}
