import { z } from 'zod';
import { Id } from '@retail/realtime-protocol';
import { AppError } from '../errors/app-error.js';

/** A page position: the sort key of the last item returned and its id (the tie-breaker). */
export interface Keyset {
  key: string;
  id: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass it back as `cursor` for the next page. Null on the last page. */
  nextCursor: string | null;
}

const KeysetTuple = z.tuple([z.string().max(200), Id]);

/** A cursor we did not issue (or tampered with) is the client's mistake: validation_failed. */
const invalidCursor = () => AppError.validation([{ path: 'cursor', message: 'Invalid cursor' }]);

/** Opaque to clients: base64url of `[key, id]`. */
export const encodeCursor = ({ key, id }: Keyset): string => Buffer.from(JSON.stringify([key, id])).toString('base64url');

export function decodeCursor(cursor: string): Keyset {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const result = KeysetTuple.safeParse(parsed);
  if (!result.success) throw invalidCursor();
  const [key, id] = result.data;
  return { key, id };
}

/** The keyset of a row in a newest-first-by-`createdAt` list (ISO key, to the millisecond). */
export const byCreatedAt = ({ createdAt, id }: { createdAt: Date; id: string }): Keyset => ({ key: createdAt.toISOString(), id });

/**
 * Rows were fetched with `take: limit + 1`: the extra row only says whether another page exists.
 * `keyOf` positions the last returned row; `view`, if given, maps each returned row.
 */
export function toPage<R>(rows: R[], limit: number, keyOf: (row: R) => Keyset): Page<R>;
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => Keyset, view: (row: R) => T): Page<T>;
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => Keyset, view?: (row: R) => T): Page<R | T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: view ? items.map(view) : items,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}

/**
 * Where-clause for "newest first" keyset paging on (field desc, id desc): the rows strictly after
 * the cursor. Rows added while a client pages are newer than any cursor it holds, so later pages
 * have no duplicates and no gaps (unlike offsets).
 */
export function newestFirstAfter<F extends string>(field: F, cursor: string | undefined) {
  if (!cursor) return {};
  const { key, id } = decodeCursor(cursor);
  const at = new Date(key);
  if (Number.isNaN(at.getTime())) throw invalidCursor();
  return {
    OR: [{ [field]: { lt: at } } as Record<F, { lt: Date }>, { [field]: at, id: { lt: id } } as Record<F, Date> & { id: { lt: string } }],
  };
}

/** Newest first, `id` as tie-break, so the order is total and pages are stable. */
export const newestFirstOrder = <F extends string>(field: F) => [{ [field]: 'desc' } as Record<F, 'desc'>, { id: 'desc' as const }];
