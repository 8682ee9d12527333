import { describe, expect, it } from 'vitest';
import { cleanMessageBody } from './message-body.js';

describe('cleanMessageBody', () => {
  it('strips control characters but keeps newlines, tabs and other text', () => {
    expect(cleanMessageBody('hi\u0000 th\u0007ere\r\n\tok\u001b[31m\u007f\u0085 ñ 🙂')).toBe('hi there\n\tok[31m ñ 🙂');
  });

  it('refuses a body over 4000 characters instead of cutting it', () => {
    expect(cleanMessageBody('x'.repeat(4000))).toHaveLength(4000);
    expect(() => cleanMessageBody('x'.repeat(4001))).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });

  it('measures the length after stripping', () => {
    expect(cleanMessageBody(`${'x'.repeat(4000)}\u0000`)).toHaveLength(4000);
  });

  it.each(['', '\u0000\u0001', ' \n\t '])('refuses %j as empty', (body) => {
    expect(() => cleanMessageBody(body)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
});
