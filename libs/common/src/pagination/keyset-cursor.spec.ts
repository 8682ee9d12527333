import { describe, expect, it } from 'vitest';
import { byCreatedAt, decodeCursor, encodeCursor, newestFirstAfter, newestFirstOrder, toPage } from './keyset-cursor.js';

const ID = '0190f5d2-7a4e-7c3b-9a1e-3f4b5c6d7e8f';
const uuid = (n: number) => `0b9f3a3e-1d1c-4c57-9a51-5f3f0f4c2a1${n}`;

describe('keyset cursor', () => {
  it('round-trips a keyset through an opaque base64url string', () => {
    const cursor = encodeCursor({ key: '2026-01-02T03:04:05.000Z', id: ID });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ key: '2026-01-02T03:04:05.000Z', id: ID });
  });

  it.each([
    '',
    'not base64 json',
    'garbage',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('123.not-a-uuid').toString('base64url'),
    Buffer.from(JSON.stringify(['x', ID, 'extra'])).toString('base64url'),
    Buffer.from(JSON.stringify([1, ID])).toString('base64url'),
    Buffer.from(JSON.stringify(['x'.repeat(201), ID])).toString('base64url'),
    encodeCursor({ key: 'x', id: 'not-a-uuid' }),
  ])('refuses a tampered cursor %j with validation_failed', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });

  describe('string keys (products by sku)', () => {
    const rows = ['A-1', 'B-2', 'C-3'].map((sku, n) => ({ sku, id: uuid(n) }));
    const bySku = (p: { sku: string; id: string }) => ({ key: p.sku, id: p.id });

    it('gives a next cursor only when a row beyond the limit was fetched', () => {
      expect(toPage(rows, 3, bySku)).toEqual({ items: rows, nextCursor: null });
      const page = toPage(rows, 2, bySku);
      expect(page.items).toEqual(rows.slice(0, 2));
      expect(decodeCursor(page.nextCursor!)).toEqual({ key: 'B-2', id: uuid(1) });
    });

    it('maps the returned rows through a view, keyed on the rows', () => {
      const page = toPage(rows, 1, bySku, (p) => p.sku.toLowerCase());
      expect(page.items).toEqual(['a-1']);
      expect(decodeCursor(page.nextCursor!)).toEqual({ key: 'A-1', id: uuid(0) });
    });

    it('answers an empty page for no rows', () => {
      expect(toPage([], 2, bySku)).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('createdAt keys (newest first, id breaking ties)', () => {
    const position = { createdAt: new Date('2026-11-28T10:00:00.123Z'), id: uuid(0) };

    it('keys a row by createdAt to the millisecond', () => {
      expect(byCreatedAt(position)).toEqual({ key: '2026-11-28T10:00:00.123Z', id: position.id });
      const page = toPage([position, { ...position, id: uuid(9) }], 1, byCreatedAt);
      expect(new Date(decodeCursor(page.nextCursor!).key)).toEqual(position.createdAt);
    });

    it('gives a next cursor only when a row beyond the limit was fetched, mapping through the view', () => {
      const rows = [3, 2, 1].map((n) => ({ createdAt: new Date(n * 1000), id: uuid(n) }));
      const full = toPage(rows, 2, byCreatedAt, (r) => r.id);
      expect(full.items).toEqual([uuid(3), uuid(2)]);
      expect(decodeCursor(full.nextCursor!)).toEqual(byCreatedAt(rows[1]));
      expect(toPage(rows, 3, byCreatedAt, (r) => r.id)).toEqual({ items: [uuid(3), uuid(2), uuid(1)], nextCursor: null });
    });

    it('selects rows strictly older, with id breaking ties', () => {
      expect(newestFirstAfter('createdAt', undefined)).toEqual({});
      expect(newestFirstAfter('createdAt', encodeCursor(byCreatedAt(position)))).toEqual({
        OR: [{ createdAt: { lt: position.createdAt } }, { createdAt: position.createdAt, id: { lt: position.id } }],
      });
      const at = new Date('2026-01-02T03:04:05.000Z');
      expect(newestFirstAfter('completedAt', encodeCursor({ key: at.toISOString(), id: ID }))).toEqual({
        OR: [{ completedAt: { lt: at } }, { completedAt: at, id: { lt: ID } }],
      });
    });

    it('orders by the field, then id, both descending', () => {
      expect(newestFirstOrder('createdAt')).toEqual([{ createdAt: 'desc' }, { id: 'desc' }]);
      expect(newestFirstOrder('completedAt')).toEqual([{ completedAt: 'desc' }, { id: 'desc' }]);
    });

    it('refuses a cursor whose key is not a date', () => {
      expect(() => newestFirstAfter('createdAt', encodeCursor({ key: 'yesterday', id: ID }))).toThrow(
        expect.objectContaining({ code: 'validation_failed' }),
      );
      expect(() => newestFirstAfter('createdAt', 'garbage')).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    });
  });
});
