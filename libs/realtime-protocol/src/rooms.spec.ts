import { describe, expect, it } from 'vitest';
import { parseRoom, Rooms } from './rooms.js';

const ID = '0b9f3a3e-1d1c-4c57-9a51-5f3f0f4c2a10';

describe('rooms', () => {
  it('round-trips every room kind', () => {
    for (const kind of Object.keys(Rooms) as Array<keyof typeof Rooms>) {
      expect(parseRoom(Rooms[kind](ID))).toEqual({ kind, id: ID });
    }
  });

  it.each(['lobby', `workspace:${ID}:extra`, 'workspace:not-a-uuid', `tenant:${ID}`, `workspace:`, `__proto__:${ID}`])(
    'rejects %s',
    (room) => {
      expect(parseRoom(room)).toBeNull();
    },
  );
});
