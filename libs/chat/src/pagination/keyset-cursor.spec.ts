import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, olderThan, toPage } from './keyset-cursor.js';

const position = { createdAt: new Date('2026-11-28T10:00:00.123Z'), id: '0b9f3a3e-1d1c-4c57-9a51-5f3f0f4c2a10' };

describe('keyset cursor', () => {
  it('round-trips a position, to the millisecond', () => {
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each(['', 'garbage', Buffer.from('123.not-a-uuid').toString('base64url'), Buffer.from(`abc.${position.id}`).toString('base64url'), Buffer.from(`1.${position.id}.x`).toString('base64url')])(
    'refuses %j with validation_failed',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    },
  );

  it('selects rows strictly older, with id breaking ties', () => {
    expect(olderThan(undefined)).toEqual({});
    expect(olderThan(encodeCursor(position))).toEqual({
      OR: [{ createdAt: { lt: position.createdAt } }, { createdAt: position.createdAt, id: { lt: position.id } }],
    });
  });

  it('gives a next cursor only when a row beyond the limit was fetched', () => {
    const rows = [3, 2, 1].map((n) => ({ createdAt: new Date(n * 1000), id: `0b9f3a3e-1d1c-4c57-9a51-5f3f0f4c2a1${n}` }));
    const full = toPage(rows, 2, (r) => r.id);
    expect(full.items).toHaveLength(2);
    expect(decodeCursor(full.nextCursor!)).toEqual(rows[1]);
    expect(toPage(rows, 3, (r) => r.id).nextCursor).toBeNull();
  });
});
