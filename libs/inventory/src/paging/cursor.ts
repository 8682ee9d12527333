import { z } from 'zod';
import { AppError } from '../../../common/src/index.js';

/** A page position: the sort key of the last item returned and its id (the tie-breaker). */
export interface Keyset {
  key: string;
  id: string;
}

const KeysetTuple = z.tuple([z.string().max(200), z.uuid()]);

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
  if (!result.success) throw AppError.validation([{ path: 'cursor', message: 'Invalid cursor' }]);
  const [key, id] = result.data;
  return { key, id };
}

/** Rows were fetched with `take: limit + 1`: the extra row only says whether another page exists. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => Keyset): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  return { items, nextCursor: hasMore ? encodeCursor(keyOf(items[items.length - 1])) : null };
}

/**
 * Where-clause for "newest first" keyset paging on (field desc, id desc): the rows strictly after
 * the cursor. Stable while new rows arrive, unlike offsets.
 */
export function newestFirstAfter<F extends string>(field: F, cursor: string | undefined) {
  if (!cursor) return {};
  const { key, id } = decodeCursor(cursor);
  const at = new Date(key);
  if (Number.isNaN(at.getTime())) throw AppError.validation([{ path: 'cursor', message: 'Invalid cursor' }]);
  return { OR: [{ [field]: { lt: at } } as Record<F, { lt: Date }>, { [field]: at, id: { lt: id } } as Record<F, Date> & { id: { lt: string } }] };
}

export const newestFirstOrder = <F extends string>(field: F) => [{ [field]: 'desc' } as Record<F, 'desc'>, { id: 'desc' as const }];
