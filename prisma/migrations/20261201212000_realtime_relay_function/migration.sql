-- The relay's step, as one round trip: take the oldest waiting outbox rows in the order they became
-- visible, give each the next place in the relay order and the next offset in each of its rooms,
-- and return them with their positions. The advisory lock comes first, in its own statement, so
-- the step's own statement sees every row the previous step relayed.
CREATE FUNCTION realtime_relay_next(batch integer)
RETURNS TABLE (relay_seq bigint, namespace text, rooms text[], envelope jsonb, positions jsonb)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('retail-realtime-relay'));
  RETURN QUERY
  WITH waiting AS (
    SELECT e.seq, e.namespace, e.rooms, row_number() OVER (ORDER BY e.seq) AS n
    FROM (SELECT ev.seq, ev.namespace, ev.rooms FROM realtime_event ev WHERE ev.relay_seq IS NULL ORDER BY ev.seq LIMIT batch) AS e
  ),
  relay AS (
    UPDATE realtime_relay SET relay_head = relay_head + (SELECT count(*) FROM waiting)
    WHERE id = 1 AND EXISTS (SELECT 1 FROM waiting)
    RETURNING relay_head - (SELECT count(*) FROM waiting) AS base, epoch
  ),
  room_events AS (
    SELECT w.seq, w.n, w.namespace, r.room, row_number() OVER (PARTITION BY w.namespace, r.room ORDER BY w.seq) AS k
    FROM waiting w CROSS JOIN LATERAL unnest(w.rooms) AS r(room)
  ),
  counts AS (
    SELECT re.namespace, re.room, count(*) AS c FROM room_events re GROUP BY re.namespace, re.room
  ),
  streams AS (
    INSERT INTO realtime_stream AS s (namespace, room, epoch, head)
    SELECT c.namespace, c.room, (SELECT relay.epoch FROM relay), c.c FROM counts c
    ON CONFLICT ON CONSTRAINT realtime_stream_pkey DO UPDATE SET head = s.head + EXCLUDED.head
    RETURNING s.namespace, s.room, s.head, s.epoch
  ),
  placed AS (
    SELECT re.seq, re.n, re.namespace, re.room, st.head - c.c + re.k AS "offset", st.epoch
    FROM room_events re
    JOIN counts c ON c.namespace = re.namespace AND c.room = re.room
    JOIN streams st ON st.namespace = re.namespace AND st.room = re.room
  ),
  entries AS (
    INSERT INTO realtime_stream_entry (namespace, room, "offset", relay_seq)
    SELECT p.namespace, p.room, p."offset", (SELECT relay.base FROM relay) + p.n FROM placed p
  ),
  event_positions AS (
    SELECT p.seq, jsonb_object_agg(p.room, jsonb_build_object('offset', p."offset"::text, 'epoch', p.epoch)) AS positions
    FROM placed p GROUP BY p.seq
  )
  UPDATE realtime_event e
  SET relay_seq = (SELECT relay.base FROM relay) + w.n, positions = ep.positions, relayed_at = now()
  FROM waiting w JOIN event_positions ep ON ep.seq = w.seq
  WHERE e.seq = w.seq
  RETURNING e.relay_seq, e.namespace, e.rooms, e.envelope, e.positions;
END
$$;
