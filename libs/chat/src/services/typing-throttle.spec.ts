import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TYPING_REPEAT_MS, TYPING_SILENCE_MS, TypingThrottle, type TypingSignal } from './typing-throttle.js';

const base = { companyId: 'c', roomId: 'r', userId: 'u' };

describe('TypingThrottle', () => {
  let sent: TypingSignal[];
  let throttle: TypingThrottle;

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    throttle = new TypingThrottle((s) => sent.push(s));
  });
  afterEach(() => {
    throttle.clear();
    vi.useRealTimers();
  });

  it('sends a start at once, then repeats at most every 500 ms', () => {
    throttle.signal({ ...base, isTyping: true });
    vi.advanceTimersByTime(100);
    throttle.signal({ ...base, isTyping: true });
    expect(sent.map((s) => s.isTyping)).toEqual([true]);
    vi.advanceTimersByTime(TYPING_REPEAT_MS);
    throttle.signal({ ...base, isTyping: true });
    expect(sent.map((s) => s.isTyping)).toEqual([true, true]);
  });

  it('always sends a stop after a start, and ignores a stop when not typing', () => {
    throttle.signal({ ...base, isTyping: false });
    throttle.signal({ ...base, isTyping: true });
    throttle.signal({ ...base, isTyping: false });
    throttle.signal({ ...base, isTyping: false });
    expect(sent.map((s) => s.isTyping)).toEqual([true, false]);
  });

  it('sends a stop by itself after 5 s of silence, counted from the last signal', () => {
    throttle.signal({ ...base, isTyping: true });
    vi.advanceTimersByTime(TYPING_SILENCE_MS - 1000);
    throttle.signal({ ...base, isTyping: true });
    vi.advanceTimersByTime(TYPING_SILENCE_MS - 1);
    expect(sent.map((s) => s.isTyping)).toEqual([true, true]);
    vi.advanceTimersByTime(1);
    expect(sent.at(-1)).toEqual({ ...base, isTyping: false });
    vi.advanceTimersByTime(TYPING_SILENCE_MS * 2);
    expect(sent).toHaveLength(3);
  });

  it('keeps users and rooms apart', () => {
    throttle.signal({ ...base, isTyping: true });
    throttle.signal({ ...base, roomId: 'r2', isTyping: true });
    throttle.signal({ ...base, userId: 'u2', isTyping: true });
    expect(sent).toHaveLength(3);
  });
});
