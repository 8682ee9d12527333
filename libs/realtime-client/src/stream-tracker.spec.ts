import { describe, expect, it, vi } from 'vitest';
import { StreamTracker, type TrackedEvent, type TrackerOutcome } from './stream-tracker.js';

const A = 'workspace:a';
const B = 'company:b';
const C = 'pos:c';

const at = (offset: number, epoch = 'e1') => ({ offset: String(offset), epoch });

/** An envelope's stream part: `event('x', {[A]: 3})` is event x at offset 3 of room A. */
function event(id: string, offsets: Record<string, number>, epoch = 'e1'): TrackedEvent {
  return { id, positions: Object.fromEntries(Object.entries(offsets).map(([room, offset]) => [room, at(offset, epoch)])) };
}

const ids = (outcome: TrackerOutcome<TrackedEvent>) => outcome.deliver.map((e) => e.id);

/** A tracker already at the given offsets (epoch e1), as after session.ready. */
function trackerAt(offsets: Record<string, number>, options: ConstructorParameters<typeof StreamTracker>[0] = {}) {
  const tracker = new StreamTracker(options);
  tracker.sessionReady({ rooms: Object.fromEntries(Object.entries(offsets).map(([room, offset]) => [room, at(offset)])) });
  return tracker;
}

describe('StreamTracker', () => {
  describe('in order', () => {
    it('delivers consecutive events at once and moves the position with each', () => {
      const tracker = trackerAt({ [A]: 0 });

      expect(ids(tracker.receive(event('1', { [A]: 1 })))).toEqual(['1']);
      expect(ids(tracker.receive(event('2', { [A]: 2 })))).toEqual(['2']);
      expect(tracker.positions()).toEqual({ [A]: at(2) });
    });

    it('delivers events of rooms it does not track, without starting to track them', () => {
      const tracker = trackerAt({ [A]: 0 });

      expect(ids(tracker.receive(event('1', { [A]: 1, [C]: 40 })))).toEqual(['1']);
      expect(ids(tracker.receive(event('2', { [C]: 90 })))).toEqual(['2']);
      expect(tracker.positions()).toEqual({ [A]: at(1) });
    });
  });

  describe('duplicates', () => {
    it('drops an event whose id was already delivered', () => {
      const tracker = trackerAt({});

      expect(ids(tracker.receive(event('1', { [C]: 5 })))).toEqual(['1']);
      expect(ids(tracker.receive(event('1', { [C]: 5 })))).toEqual([]);
    });

    it('drops an event at or below the known position even once its id is forgotten', () => {
      const tracker = trackerAt({ [A]: 0 }, { dedupeCapacity: 1 });
      tracker.receive(event('1', { [A]: 1 }));
      tracker.receive(event('2', { [A]: 2 }));

      expect(ids(tracker.receive(event('1', { [A]: 1 })))).toEqual([]);
      expect(ids(tracker.receive(event('2', { [A]: 2 })))).toEqual([]);
    });

    it('keeps dedupe memory bounded: an untracked event is forgotten past the capacity', () => {
      const tracker = trackerAt({}, { dedupeCapacity: 2 });
      for (const id of ['1', '2', '3']) tracker.receive(event(id, { [C]: Number(id) }));

      expect(ids(tracker.receive(event('3', { [C]: 3 })))).toEqual([]);
      expect(ids(tracker.receive(event('1', { [C]: 1 })))).toEqual(['1']);
    });
  });

  describe('gaps', () => {
    it('holds events past a gap, resumes the room from its position, then releases them in offset order', () => {
      const tracker = trackerAt({ [A]: 1 });

      const first = tracker.receive(event('4', { [A]: 4 }));
      expect(first).toEqual({ deliver: [], resume: { [A]: at(1) } });
      // The resume is under way: a second held event does not ask again.
      expect(tracker.receive(event('3', { [A]: 3 }))).toEqual({ deliver: [], resume: {} });

      expect(ids(tracker.receive(event('2', { [A]: 2 })))).toEqual(['2', '3', '4']);
      expect(tracker.positions()).toEqual({ [A]: at(4) });
    });

    it('drops the replayed copies of events it held and released', () => {
      const tracker = trackerAt({ [A]: 1 });
      tracker.receive(event('3', { [A]: 3 }));
      tracker.receive(event('2', { [A]: 2 }));

      expect(ids(tracker.receive(event('3', { [A]: 3 })))).toEqual([]);
      expect(ids(tracker.receive(event('4', { [A]: 4 })))).toEqual(['4']);
    });

    it('releases a long chain of held events (no recursion limit)', () => {
      const tracker = trackerAt({ [A]: 0 });
      for (let offset = 20_000; offset >= 2; offset--) tracker.receive(event(String(offset), { [A]: offset }));

      const released = ids(tracker.receive(event('1', { [A]: 1 })));
      expect(released).toHaveLength(20_000);
      expect(released.at(-1)).toBe('20000');
    });

    it('asks again for a gap that made no progress within the timeout, and not before', () => {
      let now = 0;
      const tracker = trackerAt({ [A]: 1, [B]: 1 }, { gapTimeoutMs: 1_000, now: () => now });
      tracker.receive(event('a3', { [A]: 3 }));
      tracker.receive(event('b3', { [B]: 3 }));

      now = 900;
      expect(tracker.overdueGaps()).toEqual({});
      tracker.receive(event('a2', { [A]: 2 }));
      tracker.receive(event('a5', { [A]: 5 }));
      now = 1_000;
      // A moved on at 900, so only B is overdue.
      expect(tracker.overdueGaps()).toEqual({ [B]: at(1) });
      now = 1_900;
      expect(tracker.overdueGaps()).toEqual({ [A]: at(3) });
    });

    it('forgets a gap once it is filled', () => {
      let now = 0;
      const tracker = trackerAt({ [A]: 1 }, { gapTimeoutMs: 1_000, now: () => now });
      tracker.receive(event('3', { [A]: 3 }));
      tracker.receive(event('2', { [A]: 2 }));

      now = 5_000;
      expect(tracker.overdueGaps()).toEqual({});
    });

    it('requests a gap again on a new connection, whose handshake voids the old in-band resume', () => {
      const tracker = trackerAt({ [A]: 1 });
      tracker.receive(event('3', { [A]: 3 }));

      expect(tracker.beginSession()).toEqual({ [A]: at(1) });
      expect(tracker.receive(event('4', { [A]: 4 })).resume).toEqual({ [A]: at(1) });
    });
  });

  describe('events in several rooms', () => {
    it('delivers an event once, only when it is in order in every tracked room', () => {
      const tracker = trackerAt({ [A]: 1, [B]: 5 });

      // Next in A, but B misses offset 6.
      expect(tracker.receive(event('x', { [A]: 2, [B]: 7 }))).toEqual({ deliver: [], resume: { [B]: at(5) } });
      expect(ids(tracker.receive(event('y', { [B]: 6 })))).toEqual(['y', 'x']);
      expect(ids(tracker.receive(event('x', { [A]: 2, [B]: 7 })))).toEqual([]);
      expect(tracker.positions()).toEqual({ [A]: at(2), [B]: at(7) });
    });

    it('delivers an event new in one room and already covered in another', () => {
      const tracker = trackerAt({ [A]: 1, [B]: 9 });

      expect(ids(tracker.receive(event('x', { [A]: 2, [B]: 9 })))).toEqual(['x']);
      expect(tracker.positions()).toEqual({ [A]: at(2), [B]: at(9) });
    });
  });

  describe('session.ready', () => {
    it('adopts the head of rooms without a position and never moves a known one', () => {
      const tracker = trackerAt({ [A]: 7 });

      tracker.sessionReady({ rooms: { [A]: at(3), [B]: at(12) } });
      expect(tracker.positions()).toEqual({ [A]: at(7), [B]: at(12) });
      // Ahead of the known position: the handshake replay fills it, so the position waits for it.
      tracker.sessionReady({ rooms: { [A]: at(9) } });
      expect(tracker.positions()).toEqual({ [A]: at(7), [B]: at(12) });
    });

    it('keeps positions restored from storage over the heads it is sent', () => {
      const tracker = new StreamTracker();
      tracker.restore({ [A]: at(4) });
      tracker.sessionReady({ rooms: { [A]: at(10) } });

      expect(tracker.positions()).toEqual({ [A]: at(4) });
    });
  });

  describe('resume.ok', () => {
    it('moves rooms forward to where they were resumed, never back', () => {
      const tracker = trackerAt({ [A]: 5, [B]: 5 });

      tracker.resumeOk({ rooms: { [A]: at(3), [B]: at(8) }, refused: {} });
      expect(tracker.positions()).toEqual({ [A]: at(5), [B]: at(8) });
    });

    it('releases events held past the position it was resumed to', () => {
      const tracker = trackerAt({ [A]: 1 });
      tracker.receive(event('5', { [A]: 5 }));

      expect(ids(tracker.resumeOk({ rooms: { [A]: at(4) }, refused: {} }))).toEqual(['5']);
    });

    it('stops tracking refused rooms and releases events held only because of them', () => {
      const tracker = trackerAt({ [A]: 1, [B]: 1 });
      tracker.receive(event('x', { [A]: 2, [B]: 9 }));

      expect(ids(tracker.resumeOk({ rooms: {}, refused: { [B]: 'forbidden' } }))).toEqual(['x']);
      expect(tracker.positions()).toEqual({ [A]: at(2) });
    });

    it('leaves a gap it did not fill to the timeout instead of asking again at once', () => {
      const tracker = trackerAt({ [A]: 1 });
      tracker.receive(event('5', { [A]: 5 }));

      expect(tracker.resumeOk({ rooms: { [A]: at(1) }, refused: {} }).resume).toEqual({});
    });
  });

  describe('resume.reset and epochs', () => {
    it('adopts the position it is given, reports the room, and goes on from there', () => {
      const onReset = vi.fn();
      const tracker = trackerAt({ [A]: 3 }, { onReset });
      tracker.receive(event('x', { [A]: 9 }, 'e2'));
      tracker.receive(event('y', { [A]: 10 }, 'e2'));

      const outcome = tracker.resumeReset({ room: A, reason: 'retention_exceeded', position: at(9, 'e2') });
      expect(onReset).toHaveBeenCalledWith(A, 'retention_exceeded');
      // x is part of the state the app reloads; y follows it.
      expect(ids(outcome)).toEqual(['y']);
      expect(tracker.positions()).toEqual({ [A]: at(10, 'e2') });
    });

    it('adopts a reset position even when it is lower than the old one', () => {
      const tracker = trackerAt({ [A]: 300 });
      tracker.resumeReset({ room: A, reason: 'epoch_changed', position: at(2, 'e2') });

      expect(tracker.positions()).toEqual({ [A]: at(2, 'e2') });
      expect(ids(tracker.receive(event('3', { [A]: 3 }, 'e2')))).toEqual(['3']);
    });

    it('holds an event of an unknown epoch and resumes the room from its position, which the server answers with a reset', () => {
      const onReset = vi.fn();
      const tracker = trackerAt({ [A]: 3 }, { onReset });

      expect(tracker.receive(event('x', { [A]: 1 }, 'e2'))).toEqual({ deliver: [], resume: { [A]: at(3) } });
      const outcome = tracker.resumeReset({ room: A, reason: 'epoch_changed', position: at(0, 'e2') });
      expect(onReset).toHaveBeenCalledWith(A, 'epoch_changed');
      expect(ids(outcome)).toEqual(['x']);
    });

    it('drops a late event of the epoch the room moved away from', () => {
      const tracker = trackerAt({ [A]: 3 });
      tracker.resumeReset({ room: A, reason: 'epoch_changed', position: at(0, 'e2') });

      expect(tracker.receive(event('late', { [A]: 4 }, 'e1'))).toEqual({ deliver: [], resume: {} });
    });
  });

  describe('subscribe', () => {
    it('adopts the head of a new room', () => {
      const tracker = trackerAt({});

      expect(tracker.subscribed(A, at(12))).toEqual({ deliver: [], resume: {} });
      expect(ids(tracker.receive(event('13', { [A]: 13 })))).toEqual(['13']);
    });

    it('resumes a room it already has a position for, and does not ask again for live events racing the replay', () => {
      const tracker = trackerAt({});
      tracker.restore({ [A]: at(4) });

      expect(tracker.subscribed(A, at(12))).toEqual({ deliver: [], resume: { [A]: at(4) } });
      expect(tracker.receive(event('13', { [A]: 13 }))).toEqual({ deliver: [], resume: {} });
      expect(tracker.positions()).toEqual({ [A]: at(4) });
    });
  });

  it('forget stops tracking a room and releases what waited on it', () => {
    const tracker = trackerAt({ [A]: 1, [B]: 1 });
    tracker.receive(event('x', { [A]: 2, [B]: 5 }));

    expect(ids(tracker.forget(B))).toEqual(['x']);
    expect(tracker.positions()).toEqual({ [A]: at(2) });
  });

  it('passes ephemeral events through untouched, even behind a gap and with a repeated id', () => {
    const tracker = trackerAt({ [A]: 1 });
    tracker.receive(event('3', { [A]: 3 }));
    const typing = { id: 't' };

    expect(tracker.receive(typing).deliver).toEqual([typing]);
    expect(tracker.receive(typing).deliver).toEqual([typing]);
    expect(tracker.positions()).toEqual({ [A]: at(1) });
  });

  it('bumps its revision whenever a position changes, and only then', () => {
    const tracker = trackerAt({ [A]: 1 });
    const start = tracker.revision;

    tracker.receive(event('3', { [A]: 3 }));
    tracker.receive({ id: 'typing' });
    expect(tracker.revision).toBe(start);
    tracker.receive(event('2', { [A]: 2 }));
    expect(tracker.revision).toBeGreaterThan(start);
  });
});
