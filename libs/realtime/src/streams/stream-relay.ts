import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, crashAt } from '@retail/config';
import { PrismaService } from '@retail/database';
import { EVENTS } from '@retail/realtime-protocol';
import pg from 'pg';
import { StreamFanout } from './stream-fanout.js';
import { prismaRelayDb, sessionRelayDb, StreamStore, STREAM_PAGE, type RelayDb, type StreamEvent } from './stream-store.js';

/** The NOTIFY channel a committed change uses to wake the relay. */
export const OUTBOX_CHANNEL = 'retail_realtime_outbox';

// How often the relay looks again without being woken, and retries what it could not publish.
const TICK_MS = 250;
// How often the published watermark is written, and a non-leader tries to take over.
const WATERMARK_MS = 1_000;
const PRUNE_MS = 60_000;
const LEADER_LOCK = "hashtext('retail-realtime-relay-leader')";

/**
 * The single writer of the streams. One replica of the cluster holds a PostgreSQL session lock
 * and relays: it takes committed outbox rows in the order they became visible, assigns offsets,
 * commits, then publishes. If it dies, its session ends, the lock frees, and another replica
 * takes over within a second, first republishing everything after the last published watermark.
 * Each replica keeps one session of its own for this, apart from the request pool: the leader
 * relays on it, the others try the lock on it once a second (no new connection each time).
 * Embedded (PGlite) mode has one process, which is always the relay.
 */
@Injectable()
export class StreamRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('StreamRelay');
  private leader = false;
  /** This replica's own session: holds (or tries for) the lock, and runs the leader's statements. */
  private session?: pg.Client;
  private db?: RelayDb;
  private published = 0n;
  /** The newest relay order delivered to this replica's own sockets. */
  private deliveredHere = 0n;
  /** The newest relay order this leader knows was assigned; null right after taking over. */
  private relayed: bigint | null = null;
  private publishFailing = false;
  private savedWatermark = 0n;
  private running?: Promise<void>;
  private again = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private stopped = false;

  constructor(
    private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly store: StreamStore,
    private readonly fanout: StreamFanout,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.streams.enabled) return;
    this.every(TICK_MS, () => this.wake());
    this.every(WATERMARK_MS, () => this.maintain());
    this.every(PRUNE_MS, () => this.prune());
    await this.maintain();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.running;
    await this.saveWatermark().catch(() => undefined);
    await this.session?.end().catch(() => undefined);
  }

  /** Relays and publishes whatever is waiting; called after each commit and on every tick. */
  wake(): void {
    const db = this.db;
    if (!this.leader || !db || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain(db)
      .catch((error: Error) => {
        if (!this.publishFailing) this.logger.warn(`relay: ${error.message}`);
      })
      .finally(() => (this.running = undefined));
  }

  private async drain(db: RelayDb): Promise<void> {
    do {
      this.again = false;
      await this.catchUp(db);
      const batch = await this.store.relayNext(db);
      if (!batch.length) continue;
      this.relayed = batch.at(-1)!.relaySeq;
      if (batch.some((e) => e.envelope.type === EVENTS.posSaleCompleted.name)) crashAt(this.config, 'crash-before-publishing-a-sale');
      // In order only: after a failed publish, the backlog goes first, from the database.
      if (batch[0].relaySeq === this.published + 1n) await this.publish(batch);
      if (batch.length === STREAM_PAGE) this.again = true;
    } while (this.again && !this.stopped);
  }

  /** Republishes, in relay order, what was relayed but not yet published. */
  private async catchUp(db: RelayDb): Promise<void> {
    while (this.relayed === null || this.published < this.relayed) {
      const backlog = await this.store.relayedAfter(db, this.published);
      if (!backlog.length) {
        this.relayed = this.published;
        return;
      }
      await this.publish(backlog);
    }
  }

  private async publish(events: StreamEvent[]): Promise<void> {
    const fresh = events.filter((e) => e.relaySeq > this.deliveredHere);
    if (fresh.length) {
      this.fanout.deliverHere(fresh);
      this.deliveredHere = fresh.at(-1)!.relaySeq;
    }
    try {
      await this.fanout.publishToOthers(events);
    } catch (error) {
      if (!this.publishFailing) this.logger.warn(`publish failed, retrying from the database: ${(error as Error).message}`);
      this.publishFailing = true;
      throw error;
    }
    if (this.publishFailing) this.logger.log('publishing again');
    this.publishFailing = false;
    this.published = events.at(-1)!.relaySeq;
  }

  /** Takes over when the relay's lock is free; keeps the published watermark in the database. */
  private async maintain(): Promise<void> {
    if (this.stopped) return;
    if (this.leader) return this.saveWatermark();
    const db = await this.takeLead();
    if (!db) return;
    this.db = db;
    this.published = await this.store.publishedHead(db);
    this.savedWatermark = this.published;
    this.relayed = null;
    this.leader = true;
    this.logger.log(`Relaying streams from relay order ${this.published}`);
    this.wake();
  }

  /** The relay's statements' connection once this replica holds the lock; undefined while another one does. */
  private async takeLead(): Promise<RelayDb | undefined> {
    if (this.prisma.kind === 'pglite') return prismaRelayDb(this.prisma);
    try {
      const session = (this.session ??= await this.openSession());
      const [{ locked }] = (await session.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${LEADER_LOCK}) AS locked`)).rows;
      if (!locked) return undefined;
      await session.query(`LISTEN ${OUTBOX_CHANNEL}`);
      session.on('notification', () => this.wake());
      return sessionRelayDb(session);
    } catch (error) {
      this.dropSession();
      this.logger.warn(`relay lock: ${(error as Error).message}`);
      return undefined;
    }
  }

  private async openSession(): Promise<pg.Client> {
    const session = new pg.Client({
      connectionString: this.config.database.uri,
      connectionTimeoutMillis: 2_000,
      application_name: 'retail-relay',
    });
    session.on('error', () => this.dropSession());
    // The lock lives as long as this session: losing it means another replica may lead.
    session.once('end', () => this.dropSession());
    try {
      await session.connect();
    } catch (error) {
      session.removeAllListeners('end');
      await session.end().catch(() => undefined);
      throw error;
    }
    return session;
  }

  /** The session is gone (or unusable): a leader steps down, and the next attempt opens a new one. */
  private dropSession(): void {
    const session = this.session;
    this.session = undefined;
    this.db = undefined;
    void session?.end().catch(() => undefined);
    if (!this.leader) return;
    this.leader = false;
    this.logger.warn('Lost the relay lock; another replica may take over');
  }

  private async saveWatermark(): Promise<void> {
    if (!this.db || this.published === this.savedWatermark) return;
    const upTo = this.published;
    await this.store.markPublished(this.db, upTo);
    this.savedWatermark = upTo;
  }

  private async prune(): Promise<void> {
    if (!this.leader || !this.db) return;
    await this.store.prune(this.db, this.config.streams.retentionSeconds, this.config.streams.retentionMaxPerRoom);
  }

  private every(ms: number, task: () => unknown): void {
    const run = () => {
      void Promise.resolve()
        .then(task)
        .catch((error: Error) => this.logger.warn(error.message));
    };
    this.timers.push(setInterval(run, ms).unref());
  }
}
