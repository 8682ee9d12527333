import { describe, expect, it } from 'vitest';
import { ChatSendCommand } from '@retail/realtime-protocol';
import { Id } from '../index.js';
import { decodeCursor, encodeCursor } from '../pagination/keyset-cursor.js';

const LOWER = '0b9f3a3e-1d1c-4c57-9a51-5f3f0f4c2a1e';

describe('Id', () => {
  it('accepts a UUID in any case and answers it lower-cased', () => {
    expect(Id.parse(LOWER.toUpperCase())).toBe(LOWER);
    expect(Id.parse('0B9F3A3E-1d1c-4C57-9a51-5F3F0F4C2A1E')).toBe(LOWER);
    expect(Id.safeParse('not-a-uuid').success).toBe(false);
  });

  it('is the schema of socket commands and cursors too, so rooms and pages meet one spelling', () => {
    expect(ChatSendCommand.parse({ roomId: LOWER.toUpperCase(), body: 'hi', clientMessageId: 'c1' }).roomId).toBe(LOWER);
    expect(decodeCursor(encodeCursor({ key: 'k', id: LOWER.toUpperCase() })).id).toBe(LOWER);
  });
});
