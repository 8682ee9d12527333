import { describe, expect, it } from 'vitest';
import { encodeCursor } from '@retail/common';
import { decodeListCursor, listKey, openAfter } from './notification-list-order.js';

const ID = '0190f5d2-7a4e-7c3b-9a1e-3f4b5c6d7e8f';
const at = new Date('2026-12-07T10:00:00.000Z');

describe('the notification list order', () => {
  it('keys an open alert by level and age, anything else by age alone', () => {
    expect(decodeListCursor(encodeCursor(listKey({ state: 'open', level: 'WARNING', createdAt: at, id: ID })))).toEqual({
      part: 'open',
      level: 'WARNING',
      at,
      id: ID,
    });
    const rest = decodeListCursor(encodeCursor(listKey({ state: 'resolved', level: 'ALERT', createdAt: at, id: ID })));
    expect(rest).toEqual({ part: 'rest', cursor: encodeCursor({ key: at.toISOString(), id: ID }) });
  });

  it('continues the open part after the position: later levels, or the same level later', () => {
    expect(openAfter(undefined)).toEqual({});
    expect(openAfter({ part: 'open', level: 'ALERT', at, id: ID })).toEqual({
      OR: [
        { level: { in: ['WARNING', 'INFO'] } },
        { level: 'ALERT', createdAt: { gt: at } },
        { level: 'ALERT', createdAt: at, id: { gt: ID } },
      ],
    });
  });

  it.each(['open NOPE 2026-12-07T10:00:00.000Z', 'open ALERT yesterday', 'sideways 2026-12-07T10:00:00.000Z', 'open'])(
    'refuses a tampered cursor %j',
    (key) => {
      expect(() => decodeListCursor(encodeCursor({ key, id: ID }))).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    },
  );
});
