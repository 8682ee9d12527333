import { AppError } from '../../../common/src/index.js';

/** The position of a row in a newest-first list: `createdAt`, with `id` breaking ties. */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass it back as `cursor` for the next (older) page. Null on the last page. */
  nextCursor: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Newest first, `id` as tie-break, so the order is total and pages are stable. */
export const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

export const encodeCursor = ({ createdAt, id }: KeysetPosition): string =>
  Buffer.from(`${createdAt.getTime()}.${id}`).toString('base64url');

/** A cursor we did not issue (or tampered with) is the client's mistake: validation_failed. */
export function decodeCursor(cursor: string): KeysetPosition {
  const [millis, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('.');
  const createdAt = new Date(Number(millis));
  if (rest.length || !/^\d+$/.test(millis ?? '') || Number.isNaN(createdAt.getTime()) || !UUID.test(id ?? '')) {
    throw AppError.validation([{ path: 'cursor', message: 'Invalid cursor' }]);
  }
  return { createdAt, id };
}

/**
 * Rows strictly older than the cursor (keyset pagination). Rows added while a client pages are
 * newer than any cursor it holds, so later pages have no duplicates and no gaps.
 */
export function olderThan(cursor: string | undefined) {
  if (!cursor) return {};
  const { createdAt, id } = decodeCursor(cursor);
  return { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
}

/** Turns `limit + 1` fetched rows into a page: the extra row only tells that there is more. */
export function toPage<R extends KeysetPosition, T>(rows: R[], limit: number, view: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(view), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
