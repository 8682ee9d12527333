import { AppError, decodeCursor, encodeCursor, type Keyset } from '@retail/common';
import type { Prisma } from '@retail/database';
import type { NotificationLevel } from '@retail/realtime-protocol';

/**
 * The order of GET /notifications: open alerts first, by level (ALERT, WARNING) and oldest first,
 * then the rest newest first. One keyset cursor walks both parts.
 */
const LEVEL_ORDER: NotificationLevel[] = ['ALERT', 'WARNING', 'INFO'];

/** A list position: in the open part by (level, createdAt, id), or in the rest by createdAt, newest first. */
export type ListPosition = { part: 'open'; level: NotificationLevel; at: Date; id: string } | { part: 'rest'; cursor: string };

export const listKey = (row: { state: string | null; level: NotificationLevel; createdAt: Date; id: string }): Keyset =>
  row.state === 'open'
    ? { key: `open ${row.level} ${row.createdAt.toISOString()}`, id: row.id }
    : { key: `rest ${row.createdAt.toISOString()}`, id: row.id };

export function decodeListCursor(cursor: string): ListPosition {
  const { key, id } = decodeCursor(cursor);
  const [part, ...rest] = key.split(' ');
  if (part === 'rest' && rest.length === 1) return { part, cursor: encodeCursor({ key: rest[0], id }) };
  const level = rest[0] as NotificationLevel;
  const at = new Date(rest[1] ?? '');
  if (part !== 'open' || !LEVEL_ORDER.includes(level) || Number.isNaN(at.getTime())) {
    throw AppError.validation([{ path: 'cursor', message: 'Invalid cursor' }]);
  }
  return { part, level, at, id };
}

/** Open alerts after a position in (level, createdAt, id) order. */
export function openAfter(after: ListPosition | undefined): Prisma.NotificationWhereInput {
  if (after?.part !== 'open') return {};
  const { level, at, id } = after;
  return {
    OR: [
      { level: { in: LEVEL_ORDER.slice(LEVEL_ORDER.indexOf(level) + 1) } },
      { level, createdAt: { gt: at } },
      { level, createdAt: at, id: { gt: id } },
    ],
  };
}
