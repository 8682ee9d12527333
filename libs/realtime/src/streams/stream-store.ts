import { Injectable } from '@nestjs/common';
import { PrismaService, type Db, type Tx } from '@retail/database';
import type { RealtimeEnvelope, RoomPositions, StreamPosition } from '@retail/realtime-protocol';

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

const position = (offset: bigint, epoch: string): StreamPosition => ({ offset: offset.toString(), epoch });

/**
 * Every SQL statement of the streams: the outbox, offset assignment, heads and replay. Raw SQL,
 * because offsets are assigned set-wise (one statement per concern, whatever the batch size).
 */
@Injectable()
export class StreamStore {
  private epoch?: Promise<string>;

  constructor(private readonly prisma: PrismaService) {}

  /** Writes the events of a change into the outbox, inside that change's transaction. */
  async append(db: Db, events: OutboxEvent[]): Promise<void> {
    await db.$executeRaw`
      INSERT INTO realtime_event (id, namespace, rooms, envelope)
      SELECT e.id, e.namespace, ARRAY(SELECT jsonb_array_elements_text(e.rooms)), e.envelope
      FROM jsonb_to_recordset(${JSON.stringify(events.map(({ envelope, namespace, rooms }) => ({ id: envelope.id, namespace, rooms, envelope })))}::jsonb)
        AS e(id uuid, namespace text, rooms jsonb, envelope jsonb)`;
  }

  /**
   * Takes the oldest waiting events in the order they became visible, gives each a place in the
   * relay order and the next offset in each of its rooms, all in one transaction. The caller is
   * the single relay; the transaction lock keeps even two of them from interleaving.
   */
  async relayNext(tx: Tx): Promise<StreamEvent[]> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('retail-realtime-relay'))`;
    const waiting = await tx.$queryRaw<Array<{ seq: bigint; namespace: string; rooms: string[]; envelope: RealtimeEnvelope }>>`
      SELECT seq, namespace, rooms, envelope FROM realtime_event WHERE relay_seq IS NULL ORDER BY seq LIMIT ${STREAM_PAGE}::int`;
    if (!waiting.length) return [];

    const counts = new Map<string, { namespace: string; room: string; count: number }>();
    for (const { namespace, rooms } of waiting) {
      for (const room of rooms) {
        const key = `${namespace}\n${room}`;
        const entry = counts.get(key) ?? counts.set(key, { namespace, room, count: 0 }).get(key)!;
        entry.count += 1;
      }
    }
    const streams = [...counts.values()];
    const heads = await tx.$queryRaw<Array<{ namespace: string; room: string; head: bigint; epoch: string }>>`
      INSERT INTO realtime_stream (namespace, room, epoch, head)
      SELECT s.namespace, s.room, (SELECT epoch FROM realtime_relay WHERE id = 1), s.count
      FROM jsonb_to_recordset(${JSON.stringify(streams)}::jsonb) AS s(namespace text, room text, count bigint)
      ON CONFLICT (namespace, room) DO UPDATE SET head = realtime_stream.head + EXCLUDED.head
      RETURNING namespace, room, head, epoch`;
    const [{ relay_head: relayHead }] = await tx.$queryRaw<Array<{ relay_head: bigint }>>`
      UPDATE realtime_relay SET relay_head = relay_head + ${waiting.length}::int WHERE id = 1 RETURNING relay_head`;

    // Offsets continue from where each room stood, in the order the events are taken.
    const next = new Map(
      heads.map((h) => [
        `${h.namespace}\n${h.room}`,
        { offset: h.head - BigInt(counts.get(`${h.namespace}\n${h.room}`)!.count), epoch: h.epoch },
      ]),
    );
    const firstSeq = relayHead - BigInt(waiting.length) + 1n;
    const entries: Array<{ namespace: string; room: string; offset: string; relay_seq: string }> = [];
    const events = waiting.map((row, i): StreamEvent & { seq: bigint } => {
      const relaySeq = firstSeq + BigInt(i);
      const positions: RoomPositions = {};
      for (const room of row.rooms) {
        const stream = next.get(`${row.namespace}\n${room}`)!;
        stream.offset += 1n;
        positions[room] = position(stream.offset, stream.epoch);
        entries.push({ namespace: row.namespace, room, offset: stream.offset.toString(), relay_seq: relaySeq.toString() });
      }
      return { seq: row.seq, relaySeq, namespace: row.namespace, rooms: row.rooms, envelope: { ...row.envelope, positions } };
    });
    await tx.$executeRaw`
      INSERT INTO realtime_stream_entry (namespace, room, "offset", relay_seq)
      SELECT namespace, room, "offset", relay_seq FROM jsonb_to_recordset(${JSON.stringify(entries)}::jsonb)
        AS e(namespace text, room text, "offset" bigint, relay_seq bigint)`;
    const relayed = events.map((e) => ({ seq: e.seq.toString(), relay_seq: e.relaySeq.toString(), positions: e.envelope.positions }));
    await tx.$executeRaw`
      UPDATE realtime_event SET relay_seq = r.relay_seq, positions = r.positions, relayed_at = now()
      FROM jsonb_to_recordset(${JSON.stringify(relayed)}::jsonb) AS r(seq bigint, relay_seq bigint, positions jsonb)
      WHERE realtime_event.seq = r.seq`;
    return events.map(({ seq: _, ...event }) => event);
  }

  /** Relayed events after `afterRelaySeq`, in relay order: what a new relay republishes. */
  async relayedAfter(afterRelaySeq: bigint): Promise<StreamEvent[]> {
    const rows = await this.prisma.$queryRaw<
      Array<{ relay_seq: bigint; namespace: string; rooms: string[]; envelope: RealtimeEnvelope; positions: RoomPositions }>
    >`
      SELECT relay_seq, namespace, rooms, envelope, positions FROM realtime_event
      WHERE relay_seq > ${afterRelaySeq}::bigint ORDER BY relay_seq LIMIT ${STREAM_PAGE}::int`;
    return rows.map((r) => ({
      relaySeq: r.relay_seq,
      namespace: r.namespace,
      rooms: r.rooms,
      envelope: { ...r.envelope, positions: r.positions },
    }));
  }

  async publishedHead(): Promise<bigint> {
    const [row] = await this.prisma.$queryRaw<Array<{ published_head: bigint }>>`SELECT published_head FROM realtime_relay WHERE id = 1`;
    return row.published_head;
  }

  async markPublished(upTo: bigint): Promise<void> {
    await this.prisma.$executeRaw`UPDATE realtime_relay SET published_head = GREATEST(published_head, ${upTo}::bigint) WHERE id = 1`;
  }

  /** The epoch a room starts in: a room that never had an event stands at offset 0 of it. */
  startEpoch(): Promise<string> {
    this.epoch ??= this.prisma.$queryRaw<Array<{ epoch: string }>>`SELECT epoch FROM realtime_relay WHERE id = 1`.then(([r]) => r.epoch);
    return this.epoch;
  }

  /** Each room's head, epoch and oldest retained offset. */
  async heads(namespace: string, rooms: string[]): Promise<Map<string, StreamHead>> {
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

  /** One page of a replay across rooms, in relay order, each event once. */
  async replayPage(namespace: string, ranges: ReplayRange[], afterRelaySeq: bigint): Promise<StreamEvent[]> {
    const wanted = JSON.stringify(ranges.map((r) => ({ room: r.room, after: r.after.toString(), up_to: r.upTo.toString() })));
    const rows = await this.prisma.$queryRaw<
      Array<{ relay_seq: bigint; namespace: string; rooms: string[]; envelope: RealtimeEnvelope; positions: RoomPositions }>
    >`
      SELECT DISTINCT ON (s.relay_seq) s.relay_seq, ev.namespace, ev.rooms, ev.envelope, ev.positions
      FROM jsonb_to_recordset(${wanted}::jsonb) AS w(room text, after bigint, up_to bigint)
      JOIN realtime_stream_entry s ON s.namespace = ${namespace} AND s.room = w.room AND s."offset" > w.after AND s."offset" <= w.up_to
      JOIN realtime_event ev ON ev.relay_seq = s.relay_seq
      WHERE s.relay_seq > ${afterRelaySeq}::bigint
      ORDER BY s.relay_seq LIMIT ${STREAM_PAGE}::int`;
    return rows.map((r) => ({
      relaySeq: r.relay_seq,
      namespace: r.namespace,
      rooms: r.rooms,
      envelope: { ...r.envelope, positions: r.positions },
    }));
  }

  /** Drops history older than the retention, and beyond the per-room cap. */
  async prune(retentionSeconds: number, maxPerRoom: number): Promise<void> {
    await this.prisma.$executeRaw`
      DELETE FROM realtime_stream_entry e USING realtime_stream s
      WHERE e.namespace = s.namespace AND e.room = s.room AND e."offset" <= s.head - ${maxPerRoom}::int`;
    await this.prisma.$executeRaw`
      DELETE FROM realtime_stream_entry WHERE relay_seq <= (
        SELECT max(relay_seq) FROM realtime_event WHERE relayed_at < now() - make_interval(secs => ${retentionSeconds}::int))`;
    await this.prisma.$executeRaw`
      DELETE FROM realtime_event WHERE relayed_at < now() - make_interval(secs => ${retentionSeconds}::int)`;
  }
}
