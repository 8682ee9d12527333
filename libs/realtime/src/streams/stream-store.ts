import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService, type Db } from '@retail/database';
import type { RealtimeEnvelope, RoomPositions } from '@retail/realtime-protocol';

/** A stream event as the business transaction writes it into the outbox. */
export interface OutboxEvent {
  namespace: string;
  rooms: string[];
  envelope: RealtimeEnvelope;
}

/** A relayed event: its envelope carries its positions. */
export interface StreamEvent {
  relaySeq: bigint;
  namespace: string;
  rooms: string[];
  envelope: RealtimeEnvelope;
}

/** One room to replay: events after `after`, up to and including `upTo`. */
export interface ReplayRange {
  room: string;
  after: bigint;
  upTo: bigint;
}

export interface StreamHead {
  head: bigint;
  epoch: string;
  /** The oldest offset still retained; null when none is. */
  oldest: bigint | null;
}

/** Rows per relay batch and per replay page: bounded memory whatever the backlog. */
export const STREAM_PAGE = 500;
// Replay pages kept for sockets resuming from the same place: a few, for a few seconds.
const SHARED_PAGES = 32;
const SHARED_PAGE_MS = 5_000;

/**
 * Where the relay runs its statements: on PostgreSQL its own session (the one holding the relay
 * lock), apart from the request pool; embedded, the one database. Rows as the driver reads them:
 * a BIGINT may come as a string.
 */
export interface RelayDb {
  rows<T>(query: Prisma.Sql): Promise<T[]>;
}

/** The relay's own PostgreSQL session. */
export const sessionRelayDb = (session: { query(text: string, values: unknown[]): Promise<{ rows: unknown[] }> }): RelayDb => ({
  rows: async <T>(query: Prisma.Sql) => (await session.query(query.text, query.values)).rows as T[],
});

/** The shared client: the embedded database has no other. */
export const prismaRelayDb = (prisma: PrismaService): RelayDb => ({ rows: <T>(query: Prisma.Sql) => prisma.$queryRaw<T[]>(query) });

interface EventRow {
  relay_seq: bigint | string;
  namespace: string;
  rooms: string[];
  envelope: RealtimeEnvelope;
  positions: RoomPositions;
}

const toStreamEvent = (row: EventRow): StreamEvent => ({
  relaySeq: BigInt(row.relay_seq),
  namespace: row.namespace,
  rooms: row.rooms,
  envelope: { ...row.envelope, positions: row.positions },
});

/**
 * Every SQL statement of the streams: the outbox, offset assignment, heads and replay. Raw SQL,
 * because all of it is set-wise: one statement per concern, whatever the batch size.
 */
@Injectable()
export class StreamStore {
  private epoch?: Promise<string>;
  /** Heads asked for in this turn of the event loop, per namespace, and their one read. */
  private readonly headBatches = new Map<string, { rooms: Set<string>; read: Promise<Map<string, StreamHead>> }>();
  /** Replay pages read in the last few seconds, by what was asked. */
  private readonly sharedPages = new Map<string, { page: Promise<StreamEvent[]>; until: number }>();

  constructor(private readonly prisma: PrismaService) {}

  /**
   * Writes the events of a change into the outbox, inside that change's transaction; with
   * `notify`, the same statement queues the NOTIFY on that channel that wakes the other replicas
   * at commit (one round trip, not two).
   */
  async append(db: Db, events: OutboxEvent[], notify: string | null): Promise<void> {
    const rows = JSON.stringify(events.map(({ envelope, namespace, rooms }) => ({ id: envelope.id, namespace, rooms, envelope })));
    const insert = Prisma.sql`
      INSERT INTO realtime_event (id, namespace, rooms, envelope)
      SELECT e.id, e.namespace, ARRAY(SELECT jsonb_array_elements_text(e.rooms)), e.envelope
      FROM jsonb_to_recordset(${rows}::jsonb) AS e(id uuid, namespace text, rooms jsonb, envelope jsonb)`;
    // A data-modifying WITH runs to completion whether or not the SELECT reads it.
    await db.$executeRaw(notify ? Prisma.sql`WITH appended AS (${insert}) SELECT pg_notify(${notify}, '')` : insert);
  }

  /**
   * Takes the oldest waiting events in the order they became visible and gives each the next
   * place in the relay order and the next offset in each of its rooms, in one round trip (the
   * realtime_relay_next function of the migrations). A transaction lock inside keeps even two
   * relays from interleaving.
   */
  async relayNext(db: RelayDb): Promise<StreamEvent[]> {
    const rows = await db.rows<EventRow>(Prisma.sql`SELECT * FROM realtime_relay_next(${STREAM_PAGE}::int)`);
    return rows.map(toStreamEvent).sort((x, y) => (x.relaySeq < y.relaySeq ? -1 : 1));
  }

  /** Relayed events after `afterRelaySeq`, in relay order: what a new relay republishes. */
  async relayedAfter(db: RelayDb, afterRelaySeq: bigint): Promise<StreamEvent[]> {
    const rows = await db.rows<EventRow>(Prisma.sql`
      SELECT relay_seq, namespace, rooms, envelope, positions FROM realtime_event
      WHERE relay_seq > ${afterRelaySeq}::bigint ORDER BY relay_seq LIMIT ${STREAM_PAGE}::int`);
    return rows.map(toStreamEvent);
  }

  async publishedHead(db: RelayDb): Promise<bigint> {
    const [row] = await db.rows<{ published_head: bigint | string }>(Prisma.sql`SELECT published_head FROM realtime_relay WHERE id = 1`);
    return BigInt(row.published_head);
  }

  async markPublished(db: RelayDb, upTo: bigint): Promise<void> {
    await db.rows(Prisma.sql`UPDATE realtime_relay SET published_head = GREATEST(published_head, ${upTo}::bigint) WHERE id = 1`);
  }

  /** The epoch a room starts in: a room that never had an event stands at offset 0 of it. */
  startEpoch(): Promise<string> {
    this.epoch ??= this.prisma.$queryRaw<Array<{ epoch: string }>>`SELECT epoch FROM realtime_relay WHERE id = 1`.then(([r]) => r.epoch);
    return this.epoch;
  }

  /**
   * Each room's head, epoch and oldest retained offset. The heads asked for in one turn of the
   * event loop are read in one query (a storm of reconnects asks for the same rooms thousands of
   * times): every caller asked after joining its rooms, and the query starts after all of them.
   */
  heads(namespace: string, rooms: string[]): Promise<Map<string, StreamHead>> {
    const batch = this.headBatches.get(namespace) ?? this.startHeadBatch(namespace);
    for (const room of rooms) batch.rooms.add(room);
    return batch.read.then((all) => new Map(rooms.map((room) => [room, all.get(room)!])));
  }

  private startHeadBatch(namespace: string) {
    const rooms = new Set<string>();
    const read = new Promise((resolve) => setImmediate(resolve)).then(() => {
      this.headBatches.delete(namespace);
      return this.readHeads(namespace, [...rooms]);
    });
    const batch = { rooms, read };
    this.headBatches.set(namespace, batch);
    return batch;
  }

  private async readHeads(namespace: string, rooms: string[]): Promise<Map<string, StreamHead>> {
    const rows = await this.prisma.$queryRaw<Array<{ room: string; head: bigint; epoch: string; oldest: bigint | null }>>`
      SELECT s.room, s.head, s.epoch,
        (SELECT min(e."offset") FROM realtime_stream_entry e WHERE e.namespace = s.namespace AND e.room = s.room) AS oldest
      FROM realtime_stream s
      WHERE s.namespace = ${namespace} AND s.room IN (SELECT jsonb_array_elements_text(${JSON.stringify(rooms)}::jsonb))`;
    const epoch = await this.startEpoch();
    const heads = new Map<string, StreamHead>(rooms.map((room) => [room, { head: 0n, epoch, oldest: null }]));
    for (const row of rows) heads.set(row.room, { head: row.head, epoch: row.epoch, oldest: row.oldest });
    return heads;
  }

  /**
   * The next page of several rooms' histories, merged in relay order, each event once however many
   * of the rooms it is in. Each room is read along its own index, at most a page of it, and the page
   * keeps the first STREAM_PAGE of all: so a room's events in it are always the next ones of that
   * room, and memory stays one page whatever the number of rooms.
   */
  replayPage(namespace: string, ranges: ReplayRange[]): Promise<StreamEvent[]> {
    const wanted = JSON.stringify(ranges.map(({ room, after, upTo }) => ({ room, after: after.toString(), up_to: upTo.toString() })));
    // History does not change: sockets resuming the same rooms from the same place (a storm of
    // dashboards of one store) share one read of each page.
    const key = `${namespace} ${wanted}`;
    const now = Date.now();
    for (const [cached, { until }] of this.sharedPages) if (until < now) this.sharedPages.delete(cached);
    const shared = this.sharedPages.get(key);
    if (shared) return shared.page;
    const page = this.readPage(namespace, wanted);
    page.catch(() => this.sharedPages.delete(key));
    if (this.sharedPages.size >= SHARED_PAGES) this.sharedPages.delete(this.sharedPages.keys().next().value!);
    this.sharedPages.set(key, { page, until: now + SHARED_PAGE_MS });
    return page;
  }

  private async readPage(namespace: string, wanted: string): Promise<StreamEvent[]> {
    const rows = await this.prisma.$queryRaw<EventRow[]>`
      SELECT ev.relay_seq, ev.namespace, ev.rooms, ev.envelope, ev.positions
      FROM realtime_event ev
      WHERE ev.relay_seq IN (
        SELECT DISTINCT s.relay_seq
        FROM jsonb_to_recordset(${wanted}::jsonb) AS r(room text, after bigint, up_to bigint)
        CROSS JOIN LATERAL (
          SELECT e.relay_seq FROM realtime_stream_entry e
          WHERE e.namespace = ${namespace} AND e.room = r.room AND e."offset" > r.after AND e."offset" <= r.up_to
          ORDER BY e."offset" LIMIT ${STREAM_PAGE}::int
        ) s
        ORDER BY s.relay_seq LIMIT ${STREAM_PAGE}::int)
      ORDER BY ev.relay_seq`;
    return rows.map(toStreamEvent);
  }

  /** Drops history older than the retention, and beyond the per-room cap. */
  async prune(db: RelayDb, retentionSeconds: number, maxPerRoom: number): Promise<void> {
    await db.rows(Prisma.sql`
      DELETE FROM realtime_stream_entry e USING realtime_stream s
      WHERE e.namespace = s.namespace AND e.room = s.room AND e."offset" <= s.head - ${maxPerRoom}::int`);
    await db.rows(Prisma.sql`
      DELETE FROM realtime_stream_entry WHERE relay_seq <= (
        SELECT max(relay_seq) FROM realtime_event WHERE relayed_at < now() - make_interval(secs => ${retentionSeconds}::int))`);
    await db.rows(Prisma.sql`
      DELETE FROM realtime_event WHERE relayed_at < now() - make_interval(secs => ${retentionSeconds}::int)`);
  }
}
