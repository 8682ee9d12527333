import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, newestFirstAfter, toPage } from './cursor.js';

const ID = '0190f5d2-7a4e-7c3b-9a1e-3f4b5c6d7e8f';

describe('cursor', () => {
  it('round-trips a keyset through an opaque base64url string', () => {
    const cursor = encodeCursor({ key: '2026-01-02T03:04:05.000Z', id: ID });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ key: '2026-01-02T03:04:05.000Z', id: ID });
  });

  it.each(['', 'not base64 json', Buffer.from('{"a":1}').toString('base64url'), encodeCursor({ key: 'x', id: 'not-a-uuid' })])(
    'refuses a tampered cursor %j with validation_failed',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    },
  );

  it('pages: a next cursor only when an extra row was fetched', () => {
    const rows = [1, 2, 3].map((n) => ({ n, id: ID }));
    const keyOf = (r: { n: number; id: string }) => ({ key: String(r.n), id: r.id });
    expect(toPage(rows, 3, keyOf)).toEqual({ items: rows, nextCursor: null });
    const page = toPage(rows, 2, keyOf);
    expect(page.items).toEqual(rows.slice(0, 2));
    expect(decodeCursor(page.nextCursor!)).toEqual({ key: '2', id: ID });
  });

  it('builds the newest-first filter, and refuses a cursor whose key is not a date', () => {
    expect(newestFirstAfter('createdAt', undefined)).toEqual({});
    const at = new Date('2026-01-02T03:04:05.000Z');
    expect(newestFirstAfter('createdAt', encodeCursor({ key: at.toISOString(), id: ID }))).toEqual({
      OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: ID } }],
    });
    expect(() => newestFirstAfter('createdAt', encodeCursor({ key: 'yesterday', id: ID }))).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
});
